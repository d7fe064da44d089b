using System.IO.Compression;

namespace LatePhaseDist.Core.Data;

/// <summary>Reads a whole data file, inflating it when it starts with the gzip magic bytes 1f 8b.</summary>
internal static class DataFile
{
    /// <summary>The file's bytes, decompressed when gzipped; failures are <see cref="DataFormatException"/>.</summary>
    public static ArraySegment<byte> Read(string path, out bool gzipped)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        if (!File.Exists(path))
        {
            throw new DataFormatException(path, "file not found", null);
        }

        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot be read ({e.Message})", e);
        }

        gzipped = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        return gzipped ? Inflate(path, raw) : raw;
    }

    private static ArraySegment<byte> Inflate(string path, byte[] raw)
    {
        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream((int)Math.Min(raw.Length * 4L, Array.MaxLength));
            gzip.CopyTo(output);
            return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new DataFormatException(path, $"corrupt gzip stream ({e.Message})", e);
        }
    }
}
