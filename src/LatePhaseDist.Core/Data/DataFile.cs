using System.Buffers.Binary;
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

    /// <summary>
    /// The size gzip records in its last four bytes (modulo 2^32, and only for the last member), bounded by
    /// deflate's largest ratio so that a corrupt trailer cannot ask for gigabytes; the stream grows if it is low.
    /// </summary>
    private static int CapacityHint(byte[] raw)
    {
        var recorded = raw.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(raw.Length - 4)) : 0;
        return (int)Math.Min(Math.Min(recorded, raw.Length * 1032L), Array.MaxLength);
    }

    private static ArraySegment<byte> Inflate(string path, byte[] raw)
    {
        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(CapacityHint(raw));
            gzip.CopyTo(output);
            return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new DataFormatException(path, $"corrupt gzip stream ({e.Message})", e);
        }
    }
}
