using LatePhaseDist.Core.Data;
using TorchSharp;

namespace LatePhaseDist.Core.Tests.Data;

public sealed class IdxReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_WellFormedFiles_RoundTripsPixelsAndLabels(bool gzipped)
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDirectory();
        var labels = TestDataFiles.Labels(5, 10);
        var images = TestDataFiles.IdxImages(5, 4, 3);
        var labelFile = TestDataFiles.IdxLabels(labels);
        var imagesPath = dir.Write("images", gzipped ? TestDataFiles.Gzip(images) : images);
        var labelsPath = dir.Write("labels", gzipped ? TestDataFiles.Gzip(labelFile) : labelFile);

        using var data = IdxReader.Read(imagesPath, labelsPath, 10, "tiny");

        Assert.Equal((5, 1, 4, 3), (data.Count, data.Channels, data.Height, data.Width));
        Assert.Equal((10, "tiny"), (data.Classes, data.Name));
        Assert.Equal(new long[] { 5, 1, 4, 3 }, data.Images.shape);
        Assert.Equal(torch.uint8, data.Images.dtype);
        Assert.Equal(torch.int64, data.Labels.dtype);
        Assert.Equal(labels.Select(l => (long)l).ToArray(), data.Labels.data<long>().ToArray());
        Assert.Equal(TestDataFiles.Pixel(3, 7), data.Images[3, 0, 2, 1].item<byte>());
        Assert.Equal(images.AsSpan(16).ToArray(), data.Images.data<byte>().ToArray());
    }

    [Fact]
    public void ReadFashionMnist_MixedGzippedAndRawNames_PrefersWhatExists()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte.gz", TestDataFiles.Gzip(TestDataFiles.IdxImages(6, 2, 2)));
        dir.Write("train-labels-idx1-ubyte", TestDataFiles.IdxLabels(TestDataFiles.Labels(6, 10)));
        dir.Write("t10k-images-idx3-ubyte", TestDataFiles.IdxImages(2, 2, 2));
        var testLabels = TestDataFiles.IdxLabels(TestDataFiles.Labels(2, 10));
        dir.Write("t10k-labels-idx1-ubyte.gz", TestDataFiles.Gzip(testLabels));

        var (train, test) = IdxReader.ReadFashionMnist(dir.Path);
        using var trainSet = train;
        using var testSet = test;

        Assert.Equal((6, "fashion-mnist-train"), (train.Count, train.Name));
        Assert.Equal((2, "fashion-mnist-test"), (test.Count, test.Name));
    }

    [Fact]
    public void ReadFashionMnist_DebianPackage_LoadsFullBalancedSets()
    {
        using var scope = torch.NewDisposeScope();

        var (train, test) = IdxReader.ReadFashionMnist(IdxReader.DebianFashionMnistDirectory);
        using var trainSet = train;
        using var testSet = test;

        Assert.Equal((60000, 1, 28, 28, 10), (train.Count, train.Channels, train.Height, train.Width, train.Classes));
        Assert.Equal((10000, 10), (test.Count, test.Classes));
        Assert.All(torch.bincount(train.Labels).data<long>().ToArray(), n => Assert.Equal(6000, n));
        Assert.All(torch.bincount(test.Labels).data<long>().ToArray(), n => Assert.Equal(1000, n));
        Assert.InRange(train.Images.to(torch.float32).mean().item<float>() / 255f, 0.28f, 0.29f);
    }

    [Fact]
    public void FindFashionMnist_DebianDirectoryPresent_ReturnsIt()
    {
        var found = IdxReader.FindFashionMnist(null, IdxReader.DebianFashionMnistDirectory);

        Assert.Equal(IdxReader.DebianFashionMnistDirectory, found);
    }

    [Fact]
    public void FindFashionMnist_OverrideSet_ReturnsOverride()
    {
        var found = IdxReader.FindFashionMnist("/data/fmnist", IdxReader.DebianFashionMnistDirectory);

        Assert.Equal("/data/fmnist", found);
    }

    [Fact]
    public void FindFashionMnist_NothingInstalled_ReturnsNull()
    {
        using var dir = new TempDirectory();

        var found = IdxReader.FindFashionMnist("", dir.Path);

        Assert.Null(found);
    }
}
