using System.Buffers.Binary;

namespace LatePhaseDist.Core.Data;

/// <summary>
/// Reads MNIST-style IDX files (images: magic 0x00000803, unsigned bytes, 3 dimensions N×H×W; labels: magic
/// 0x00000801, unsigned bytes, 1 dimension N), gzipped or raw; gzip is recognised by its magic bytes.
/// </summary>
public static class IdxReader
{
    /// <summary>Environment variable naming a directory that holds the Fashion-MNIST files.</summary>
    public const string FashionMnistVariable = "LATEPHASE_FASHION_MNIST";

    /// <summary>Where Debian's package dataset-fashion-mnist installs the files.</summary>
    public const string DebianFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    private const int ImageMagic = 0x00000803;
    private const int LabelMagic = 0x00000801;

    /// <summary>
    /// Reads an image file and its label file into a one-channel dataset.
    /// </summary>
    /// <exception cref="DataFormatException">A file is missing, corrupt, of the wrong kind, truncated or has
    /// trailing bytes; the counts differ; or a label is outside [0, <paramref name="classes"/>).</exception>
    public static ImageDataset Read(string imagesPath, string labelsPath, int classes, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentException.ThrowIfNullOrEmpty(name);

        var (pixels, count, height, width) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath, classes);
        if (labels.Length != count)
        {
            throw new DataFormatException(
                labelsPath,
                $"count mismatch: holds {labels.Length} labels but {imagesPath} holds {count} images",
                null);
        }

        return ImageDataset.FromArrays(pixels, labels, 1, height, width, classes, name);
    }

    /// <summary>
    /// Reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte
    /// from <paramref name="directory"/>, each with or without a .gz suffix (gzipped preferred), 10 classes.
    /// </summary>
    public static (ImageDataset Train, ImageDataset Test) ReadFashionMnist(string directory) =>
        ReadStandardPair(directory, "fashion-mnist");

    /// <summary>
    /// The directory holding Fashion-MNIST: the value of <see cref="FashionMnistVariable"/> when set (returned as
    /// given, so a wrong value fails loudly when read), else <see cref="DebianFashionMnistDirectory"/> when it
    /// holds the training images, else null.
    /// </summary>
    public static string? FindFashionMnist() =>
        FindFashionMnist(Environment.GetEnvironmentVariable(FashionMnistVariable), DebianFashionMnistDirectory);

    /// <summary>The lookup behind <see cref="FindFashionMnist()"/>, with its inputs explicit.</summary>
    internal static string? FindFashionMnist(string? overrideDirectory, string defaultDirectory)
    {
        if (!string.IsNullOrWhiteSpace(overrideDirectory))
        {
            return overrideDirectory;
        }

        var images = Path.Combine(defaultDirectory, "train-images-idx3-ubyte");
        return File.Exists(images + ".gz") || File.Exists(images) ? defaultDirectory : null;
    }

    /// <summary>Reads the four standard MNIST-layout files; the sets are named "{prefix}-train" and "-test".</summary>
    internal static (ImageDataset Train, ImageDataset Test) ReadStandardPair(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);

        var train = Read(
            Locate(directory, "train-images-idx3-ubyte"),
            Locate(directory, "train-labels-idx1-ubyte"),
            10,
            prefix + "-train");
        try
        {
            var test = Read(
                Locate(directory, "t10k-images-idx3-ubyte"),
                Locate(directory, "t10k-labels-idx1-ubyte"),
                10,
                prefix + "-test");
            return (train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static string Locate(string directory, string baseName)
    {
        var gzipped = Path.Combine(directory, baseName + ".gz");
        var raw = Path.Combine(directory, baseName);
        return File.Exists(gzipped) || !File.Exists(raw) ? gzipped : raw;
    }

    private static (byte[] Pixels, int Count, int Height, int Width) ReadImages(string path)
    {
        var data = DataFile.Read(path, out var gzipped);
        var dims = ReadHeader(path, data, ImageMagic, "image", 3);
        var (count, height, width) = (dims[0], dims[1], dims[2]);
        if (count == 0 || height == 0 || width == 0)
        {
            throw new DataFormatException(path, $"empty: header gives {count}×{height}×{width} images", null);
        }

        var headerLength = 4 + 4 * 3;
        var pixelCount = (long)count * height * width;
        if (pixelCount > Array.MaxLength)
        {
            throw new DataFormatException(path, $"too large: {count}×{height}×{width} pixels exceed 2^31", null);
        }

        CheckLength(path, data.Count, headerLength + pixelCount, gzipped, $"{count}×{height}×{width} pixels");
        var pixels = data.AsSpan(headerLength).ToArray();
        return (pixels, count, height, width);
    }

    private static long[] ReadLabels(string path, int classes)
    {
        var data = DataFile.Read(path, out var gzipped);
        var count = ReadHeader(path, data, LabelMagic, "label", 1)[0];
        var headerLength = 4 + 4;
        CheckLength(path, data.Count, headerLength + (long)count, gzipped, $"{count} labels");

        var bytes = data.AsSpan(headerLength);
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            if (bytes[i] >= classes)
            {
                throw new DataFormatException(
                    path, $"label {bytes[i]} at index {i} is out of range [0, {classes})", null);
            }

            labels[i] = bytes[i];
        }

        return labels;
    }

    private static int[] ReadHeader(string path, ReadOnlySpan<byte> data, int magic, string kind, int dimensions)
    {
        if (data.Length < 4)
        {
            throw new DataFormatException(path, $"truncated: {data.Length} bytes, too short for a magic number", null);
        }

        var found = BinaryPrimitives.ReadInt32BigEndian(data);
        if (found != magic)
        {
            throw new DataFormatException(
                path,
                $"magic number 0x{found:X8} is not an IDX {kind} file (expected 0x{magic:X8}){MagicHint(found, magic)}",
                null);
        }

        var headerLength = 4 + 4 * dimensions;
        if (data.Length < headerLength)
        {
            throw new DataFormatException(
                path, $"truncated: {data.Length} bytes, shorter than the {headerLength}-byte header", null);
        }

        var dims = new int[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(data[(4 + 4 * d)..]);
            if (dims[d] < 0)
            {
                throw new DataFormatException(path, $"dimension {d} has negative size {dims[d]}", null);
            }
        }

        return dims;
    }

    private static string MagicHint(int found, int expected)
    {
        if ((found & ~0xFFFF) != 0)
        {
            return "";
        }

        var (type, dims) = ((found >> 8) & 0xFF, found & 0xFF);
        if (type != ((expected >> 8) & 0xFF))
        {
            return $": element type 0x{type:X2} is not unsigned byte (0x08)";
        }

        return $": it declares {dims} dimensions, not {expected & 0xFF}";
    }

    private static void CheckLength(string path, long actual, long expected, bool gzipped, string what)
    {
        var length = gzipped ? "decompressed length" : "length";
        if (actual < expected)
        {
            throw new DataFormatException(
                path, $"truncated: {length} {actual} bytes, but the header's {what} need {expected}", null);
        }

        if (actual > expected)
        {
            throw new DataFormatException(
                path,
                $"{actual - expected} trailing bytes: {length} {actual} bytes, the header's {what} need {expected}",
                null);
        }
    }
}
