using LatePhaseDist.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Data;

public sealed class DatasetTests
{
    [Fact]
    public void Synthetic_SameSeed_IsIdenticalAndOtherSeedDiffers()
    {
        using var scope = torch.NewDisposeScope();

        using var first = ImageDataset.Synthetic(30, 3, 8, 10, seed: 5);
        using var second = ImageDataset.Synthetic(30, 3, 8, 10, seed: 5);
        using var other = ImageDataset.Synthetic(30, 3, 8, 10, seed: 6);

        Assert.True(first.Images.bytes.SequenceEqual(second.Images.bytes));
        Assert.True(first.Labels.bytes.SequenceEqual(second.Labels.bytes));
        Assert.False(first.Images.bytes.SequenceEqual(other.Images.bytes));
        Assert.Equal((30, 3, 8, 8, 10), (first.Count, first.Channels, first.Height, first.Width, first.Classes));
    }

    [Fact]
    public void Synthetic_TrainAndTestSeeds_ShareLearnableClasses()
    {
        using var scope = torch.NewDisposeScope();
        using var train = ImageDataset.Synthetic(400, 1, 12, 10, seed: 1);
        using var test = ImageDataset.Synthetic(100, 1, 12, 10, seed: 2);
        var features = train.Images.to(ScalarType.Float32).flatten(1);
        var oneHot = nn.functional.one_hot(train.Labels, 10).to(ScalarType.Float32);
        var means = oneHot.t().matmul(features) / oneHot.sum(dim: 0).unsqueeze(1);

        var predicted = torch.cdist(test.Images.to(ScalarType.Float32).flatten(1), means).argmin(1);

        var accuracy = predicted.eq(test.Labels).to(ScalarType.Float32).mean().item<float>();
        Assert.True(accuracy > 0.95f, $"nearest class mean accuracy {accuracy}");
    }

    [Fact]
    public void Constructor_FloatImages_ThrowsNamingImages()
    {
        using var scope = torch.NewDisposeScope();

        var error = Assert.Throws<ArgumentException>(
            () => new ImageDataset(torch.zeros(2, 1, 4, 4), torch.zeros(2, dtype: ScalarType.Int64), 10, "x"));

        Assert.Equal("images", error.ParamName);
    }

    [Fact]
    public void Constructor_CountsDiffer_ThrowsNamingLabels()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.zeros(new long[] { 2, 1, 4, 4 }, dtype: ScalarType.Byte);

        var error = Assert.Throws<ArgumentException>(
            () => new ImageDataset(images, torch.zeros(3, dtype: ScalarType.Int64), 10, "x"));

        Assert.Equal("labels", error.ParamName);
    }

    [Fact]
    public void Constructor_LabelOutOfRange_Throws()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.zeros(new long[] { 2, 1, 4, 4 }, dtype: ScalarType.Byte);

        var error = Assert.Throws<ArgumentException>(
            () => new ImageDataset(images, torch.tensor(new long[] { 0, 10 }), 10, "x"));

        Assert.Contains("label 10 at index 1", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("synthetic-28", 1, 28, 10)]
    [InlineData("synthetic-32", 3, 32, 10)]
    [InlineData("synthetic-32-100", 3, 32, 100)]
    public void Load_SyntheticKinds_GiveShapesAndAFifthForTest(string kind, int channels, int size, int classes)
    {
        using var scope = torch.NewDisposeScope();

        var (train, test) = DatasetSource.Load(kind, null, 50);
        using var trainSet = train;
        using var testSet = test;

        Assert.Equal((50, channels, size, size), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal(classes, train.Classes);
        Assert.Equal(10, test.Count);
        DatasetSource.Augmentation(kind).Validate(train.Channels);
    }

    [Fact]
    public void Load_MnistKindWithDirectory_ReadsIdxFiles()
    {
        using var scope = torch.NewDisposeScope();
        using var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte", TestDataFiles.IdxImages(3, 28, 28));
        dir.Write("train-labels-idx1-ubyte", TestDataFiles.IdxLabels([1, 2, 3]));
        dir.Write("t10k-images-idx3-ubyte", TestDataFiles.IdxImages(1, 28, 28));
        dir.Write("t10k-labels-idx1-ubyte", TestDataFiles.IdxLabels([9]));

        var (train, test) = DatasetSource.Load("mnist", dir.Path, 0);
        using var trainSet = train;
        using var testSet = test;

        Assert.Equal(("mnist-train", 3, "mnist-test", 1), (train.Name, train.Count, test.Name, test.Count));
    }

    [Fact]
    public void Load_UnknownKind_ThrowsListingAllowedKinds()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetSource.Load("imagenet", null, 10));

        Assert.Contains("'imagenet'", error.Message, StringComparison.Ordinal);
        Assert.All(DatasetSource.Kinds, kind => Assert.Contains(kind, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_CifarWithoutPath_ThrowsNamingPath()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetSource.Load("cifar10", null, 10));

        Assert.Equal("path", error.ParamName);
    }

    [Fact]
    public void AugmentationPresets_Cifar10_MatchAuthorsRecipe()
    {
        var aug = AugmentationOptions.Cifar10;

        Assert.Equal((4, true), (aug.PadCrop, aug.HorizontalFlip));
        Assert.Equal([0.4914f, 0.4822f, 0.4465f], aug.Mean);
        Assert.Equal([0.2023f, 0.1994f, 0.2010f], aug.Std);
        Assert.Equal((0, false, 0.2860f, 0.3530f), (AugmentationOptions.FashionMnist.PadCrop,
            AugmentationOptions.FashionMnist.HorizontalFlip, AugmentationOptions.FashionMnist.Mean[0],
            AugmentationOptions.FashionMnist.Std[0]));
    }
}
