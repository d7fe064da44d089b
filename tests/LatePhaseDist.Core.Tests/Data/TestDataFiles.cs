using System.Buffers.Binary;
using System.IO.Compression;

namespace LatePhaseDist.Core.Tests.Data;

/// <summary>A fresh temporary directory, deleted with its files on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "latephase-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Writes the exact on-disk formats of MNIST IDX and CIFAR binary files.</summary>
internal static class TestDataFiles
{
    public const int CifarImageBytes = 3 * 32 * 32;

    /// <summary>A distinct, reproducible pixel value for image i, byte p.</summary>
    public static byte Pixel(int image, int offset) => (byte)(image * 31 + offset * 7 + 3);

    public static byte[] IdxImages(int count, int height, int width, int magic = 0x00000803)
    {
        var data = new byte[16 + count * height * width];
        BinaryPrimitives.WriteInt32BigEndian(data, magic);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), height);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), width);
        for (var i = 0; i < count; i++)
        {
            for (var p = 0; p < height * width; p++)
            {
                data[16 + i * height * width + p] = Pixel(i, p);
            }
        }

        return data;
    }

    public static byte[] IdxLabels(byte[] labels, int magic = 0x00000801)
    {
        var data = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(data, magic);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), labels.Length);
        labels.CopyTo(data, 8);
        return data;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>CIFAR-10 records: label, then 3072 pixel bytes.</summary>
    public static byte[] Cifar10(byte[] labels, int firstImage = 0) =>
        CifarRecords(labels.Length, 1, (i, record) => record[0] = labels[i], firstImage);

    /// <summary>CIFAR-100 records: coarse label, fine label, then 3072 pixel bytes.</summary>
    public static byte[] Cifar100(byte[] coarse, byte[] fine) =>
        CifarRecords(fine.Length, 2, (i, record) => (record[0], record[1]) = (coarse[i], fine[i]), 0);

    public static byte[] Labels(int count, int classes) =>
        Enumerable.Range(0, count).Select(i => (byte)(i * 7 % classes)).ToArray();

    private static byte[] CifarRecords(int count, int labelBytes, Action<int, byte[]> writeLabels, int firstImage)
    {
        var recordSize = labelBytes + CifarImageBytes;
        var data = new byte[count * recordSize];
        var record = new byte[labelBytes];
        for (var i = 0; i < count; i++)
        {
            writeLabels(i, record);
            record.CopyTo(data, i * recordSize);
            for (var p = 0; p < CifarImageBytes; p++)
            {
                data[i * recordSize + labelBytes + p] = Pixel(firstImage + i, p);
            }
        }

        return data;
    }
}
