using LatePhaseDist.Core.Data;
using TorchSharp;

namespace LatePhaseDist.Core.Tests.Data;

public sealed class CifarReaderTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void ReadCifar10_SixBatchFiles_ConcatenatesTrainInFileOrder()
    {
        using var scope = torch.NewDisposeScope();
        for (var i = 1; i <= 5; i++)
        {
            var records = TestDataFiles.Cifar10(TestDataFiles.Labels(2, 10), firstImage: 2 * (i - 1));
            dir.Write($"data_batch_{i}.bin", records);
        }

        dir.Write("test_batch.bin", TestDataFiles.Cifar10([9, 0, 4]));

        var (train, test) = CifarReader.ReadCifar10(dir.Path);
        using var trainSet = train;
        using var testSet = test;

        Assert.Equal((10, 3, 32, 32), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal((10, "cifar10-train", "cifar10-test"), (train.Classes, train.Name, test.Name));
        Assert.Equal(new long[] { 9, 0, 4 }, test.Labels.data<long>().ToArray());
        Assert.Equal(TestDataFiles.Pixel(7, 1024 + 32 * 5 + 6), train.Images[7, 1, 5, 6].item<byte>());
        Assert.Equal(TestDataFiles.Pixel(2, 2 * 1024 + 31), test.Images[2, 2, 0, 31].item<byte>());
    }

    [Fact]
    public void ReadCifar100_TrainAndTest_UsesFineLabels()
    {
        using var scope = torch.NewDisposeScope();
        dir.Write("train.bin", TestDataFiles.Cifar100([19, 0, 5], [99, 42, 0]));
        dir.Write("test.bin", TestDataFiles.Cifar100([3], [17]));

        var (train, test) = CifarReader.ReadCifar100(dir.Path);
        using var trainSet = train;
        using var testSet = test;

        Assert.Equal((3, 100, "cifar100-train"), (train.Count, train.Classes, train.Name));
        Assert.Equal(new long[] { 99, 42, 0 }, train.Labels.data<long>().ToArray());
        Assert.Equal(new long[] { 17 }, test.Labels.data<long>().ToArray());
        Assert.Equal(TestDataFiles.Pixel(1, 3071), train.Images[1, 2, 31, 31].item<byte>());
    }

    [Fact]
    public void Read_LengthNotMultipleOfRecord_ThrowsNamingFileAndLength()
    {
        var path = dir.Write("data_batch_1.bin", [.. TestDataFiles.Cifar10([1, 2]), 7]);

        var error = Assert.Throws<DataFormatException>(() => CifarReader.Read([path], CifarVariant.Cifar10, "c10"));

        AssertNames(error, path, "length 6147 bytes is not a multiple of the record size 3073");
    }

    [Fact]
    public void Read_Cifar100FileReadAsCifar10_ThrowsNamingRecordSize()
    {
        var path = dir.Write("train.bin", TestDataFiles.Cifar100([1], [2]));

        var error = Assert.Throws<DataFormatException>(() => CifarReader.Read([path], CifarVariant.Cifar10, "c10"));

        AssertNames(error, path, "not a multiple of the record size 3073");
    }

    [Fact]
    public void Read_Cifar10LabelOutOfRange_ThrowsNamingLabelAndRecord()
    {
        var path = dir.Write("test_batch.bin", TestDataFiles.Cifar10([1, 10]));

        var error = Assert.Throws<DataFormatException>(() => CifarReader.Read([path], CifarVariant.Cifar10, "c10"));

        AssertNames(error, path, "label 10 of record 1 is out of range [0, 10)");
    }

    [Fact]
    public void Read_Cifar100FineLabelOutOfRange_ThrowsNamingFineLabel()
    {
        var path = dir.Write("train.bin", TestDataFiles.Cifar100([1, 2], [3, 100]));

        var error = Assert.Throws<DataFormatException>(() => CifarReader.Read([path], CifarVariant.Cifar100, "c100"));

        AssertNames(error, path, "fine label 100 of record 1 is out of range [0, 100)");
    }

    [Fact]
    public void Read_Cifar100CoarseLabelOutOfRange_ThrowsNamingCoarseLabel()
    {
        var path = dir.Write("train.bin", TestDataFiles.Cifar100([20], [3]));

        var error = Assert.Throws<DataFormatException>(() => CifarReader.Read([path], CifarVariant.Cifar100, "c100"));

        AssertNames(error, path, "coarse label 20 of record 0 is out of range [0, 20)");
    }

    [Fact]
    public void Read_EmptyFile_ThrowsNamingEmpty()
    {
        var good = dir.Write("data_batch_1.bin", TestDataFiles.Cifar10([1]));
        var empty = dir.Write("data_batch_2.bin", []);

        var error = Assert.Throws<DataFormatException>(
            () => CifarReader.Read([good, empty], CifarVariant.Cifar10, "c10"));

        AssertNames(error, empty, "empty file");
    }

    [Fact]
    public void ReadCifar10_MissingBatchFile_ThrowsNamingMissingFile()
    {
        dir.Write("data_batch_1.bin", TestDataFiles.Cifar10([1]));

        var error = Assert.Throws<DataFormatException>(() => CifarReader.ReadCifar10(dir.Path));

        AssertNames(error, Path.Combine(dir.Path, "data_batch_2.bin"), "file not found");
    }

    [Fact]
    public void Read_NoFiles_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => CifarReader.Read([], CifarVariant.Cifar10, "c10"));

        Assert.Contains("at least one", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNames(DataFormatException error, string path, string problem)
    {
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
