namespace LatePhaseDist.Core.Data;

/// <summary>
/// Reads the CIFAR-10 and CIFAR-100 binary formats: fixed-size records of label byte(s) followed by a 32×32 RGB
/// image as 1024 red, 1024 green and 1024 blue bytes, rows top to bottom (already [C, H, W] order).
/// </summary>
public static class CifarReader
{
    private const int Channels = 3;
    private const int Side = 32;
    private const int ImageBytes = Channels * Side * Side;

    /// <summary>
    /// Reads the records of every file, in the order given, into one dataset.
    /// </summary>
    /// <exception cref="DataFormatException">A file is missing or empty, its length is not a multiple of the
    /// record size, or a label is out of range.</exception>
    public static ImageDataset Read(IEnumerable<string> files, CifarVariant variant, string name)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var paths = files.ToArray();
        if (paths.Length == 0)
        {
            throw new ArgumentException("at least one CIFAR file is needed", nameof(files));
        }

        var labelBytes = variant == CifarVariant.Cifar100 ? 2 : 1;
        var recordSize = labelBytes + ImageBytes;
        var recordCounts = paths.Select(path => CountRecords(path, recordSize)).ToArray();
        var total = recordCounts.Sum(count => (long)count);
        if (total * ImageBytes > Array.MaxLength)
        {
            throw new ArgumentException($"{total} CIFAR records exceed 2^31 pixel bytes", nameof(files));
        }

        var pixels = new byte[total * ImageBytes];
        var labels = new long[total];
        var next = 0;
        for (var f = 0; f < paths.Length; f++)
        {
            var data = ReadExactly(paths[f], (long)recordCounts[f] * recordSize);
            for (var r = 0; r < recordCounts[f]; r++, next++)
            {
                var record = data.AsSpan(r * recordSize, recordSize);
                labels[next] = ReadLabel(paths[f], record, r, variant);
                record[labelBytes..].CopyTo(pixels.AsSpan(next * ImageBytes, ImageBytes));
            }
        }

        var classes = variant == CifarVariant.Cifar100 ? 100 : 10;
        return ImageDataset.FromArrays(pixels, labels, Channels, Side, Side, classes, name);
    }

    /// <summary>Reads data_batch_1.bin … data_batch_5.bin and test_batch.bin from a directory.</summary>
    public static (ImageDataset Train, ImageDataset Test) ReadCifar10(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        var trainFiles = Enumerable.Range(1, 5).Select(i => Path.Combine(directory, $"data_batch_{i}.bin"));
        var testFiles = new[] { Path.Combine(directory, "test_batch.bin") };
        return ReadPair(trainFiles, testFiles, CifarVariant.Cifar10, "cifar10");
    }

    /// <summary>Reads train.bin and test.bin from <paramref name="directory"/>, with the 100 fine labels.</summary>
    public static (ImageDataset Train, ImageDataset Test) ReadCifar100(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        var trainFiles = new[] { Path.Combine(directory, "train.bin") };
        var testFiles = new[] { Path.Combine(directory, "test.bin") };
        return ReadPair(trainFiles, testFiles, CifarVariant.Cifar100, "cifar100");
    }

    private static (ImageDataset Train, ImageDataset Test) ReadPair(
        IEnumerable<string> trainFiles,
        IEnumerable<string> testFiles,
        CifarVariant variant,
        string prefix)
    {
        var train = Read(trainFiles, variant, prefix + "-train");
        try
        {
            return (train, Read(testFiles, variant, prefix + "-test"));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static int CountRecords(string path, int recordSize)
    {
        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file not found", null);
        }

        var length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new DataFormatException(path, "empty file: it holds no records", null);
        }

        if (length % recordSize != 0)
        {
            throw new DataFormatException(
                path,
                $"length {length} bytes is not a multiple of the record size {recordSize} " +
                $"({length / recordSize} whole records and {length % recordSize} bytes left over)",
                null);
        }

        return (int)Math.Min(length / recordSize, int.MaxValue);
    }

    private static byte[] ReadExactly(string path, long expectedLength)
    {
        try
        {
            var data = File.ReadAllBytes(path);
            if (data.Length != expectedLength)
            {
                throw new DataFormatException(
                    path, $"changed while being read: {data.Length} bytes, expected {expectedLength}", null);
            }

            return data;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot be read ({e.Message})", e);
        }
    }

    private static long ReadLabel(string path, ReadOnlySpan<byte> record, int index, CifarVariant variant)
    {
        if (variant == CifarVariant.Cifar10)
        {
            return CheckLabel(path, record[0], 10, "label", index);
        }

        CheckLabel(path, record[0], 20, "coarse label", index);
        return CheckLabel(path, record[1], 100, "fine label", index);
    }

    private static long CheckLabel(string path, byte label, int classes, string what, int index)
    {
        if (label >= classes)
        {
            throw new DataFormatException(
                path, $"{what} {label} of record {index} is out of range [0, {classes})", null);
        }

        return label;
    }
}
