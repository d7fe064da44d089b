using System.Text;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// A file of named tensors in our own framing: the magic "LPDT", a format version, the entry count, then for each
/// entry (in ordinal key order) its key, a dtype code, the rank, the dimensions and the raw little-endian element
/// bytes. Round trips are bit-exact, NaN payloads and negative zeros included. Tensors are read back as CPU
/// tensors without gradient tracking.
/// </summary>
public static class TensorFile
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    private const int MaxRank = 64;
    private const long ChunkBytes = 64L << 20;
    private static readonly byte[] Magic = "LPDT"u8.ToArray();

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically: to a temporary file in the same
    /// directory, flushed to disk, then renamed over <paramref name="path"/>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written; the message names the path.</exception>
    /// <exception cref="ArgumentException">A tensor has a dtype the format does not support.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);

        _ = WriteHashed(path, tensors);
    }

    /// <summary>Reads every tensor in the file at <paramref name="path"/>; the caller owns (disposes) them.</summary>
    /// <exception cref="InvalidDataException">The file is not a tensor file, or is truncated or corrupt.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        return ReadVerified(path, expectedSha256: null, expectedBytes: null);
    }

    /// <summary>Like <see cref="Write"/>; returns the SHA-256 (lowercase hex) and size of the bytes written.</summary>
    internal static (string Sha256, long Bytes) WriteHashed(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        EnsureLittleEndian();
        foreach (var (key, tensor) in tensors)
        {
            CheckWritable(path, key, tensor);
        }

        return AtomicFile.Write(path, stream => WriteTo(stream, tensors));
    }

    /// <summary>
    /// Reads the file and, where given, checks its size before and its SHA-256 after reading; on a mismatch every
    /// tensor read is disposed and an <see cref="InvalidDataException"/> names the path.
    /// </summary>
    internal static Dictionary<string, Tensor> ReadVerified(string path, string? expectedSha256, long? expectedBytes)
    {
        EnsureLittleEndian();

        using var file = OpenForRead(path);
        var length = file.Length;
        if (expectedBytes is { } expected && expected != length)
        {
            throw Corrupt(path, $"it has {length} bytes, the manifest says {expected}");
        }

        using var hashing = new HashingStream(file, forWriting: false);
        var tensors = ReadFrom(hashing, path, length);

        var actual = hashing.FinishHash();
        if (expectedSha256 is not null && !string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            DisposeAll(tensors);
            throw Corrupt(path, $"its SHA-256 is {actual}, the manifest says {expectedSha256}");
        }

        return tensors;
    }

    private static void WriteTo(Stream stream, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(tensors.Count);

        // Ordinal key order makes the bytes, and so the hash, independent of the dictionary's insertion order.
        foreach (var key in tensors.Keys.Order(StringComparer.Ordinal))
        {
            WriteEntry(writer, key, tensors[key]);
        }

        writer.Flush();
    }

    private static void WriteEntry(BinaryWriter writer, string key, Tensor tensor)
    {
        _ = TensorFileDType.TryEncode(tensor.dtype, out var code, out var elementSize);
        writer.Write(key);
        writer.Write(code);
        writer.Write(checked((int)tensor.ndim));
        foreach (var dim in tensor.shape)
        {
            writer.Write(dim);
        }

        writer.Write(checked(tensor.numel() * elementSize));
        writer.Flush();

        // The scope disposes the detached, CPU and contiguous copies; the caller's tensor is not in it.
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        var chunkElements = ChunkBytes / elementSize;
        for (long start = 0; start < flat.numel(); start += chunkElements)
        {
            using var chunk = flat.narrow(0, start, Math.Min(chunkElements, flat.numel() - start));
            writer.BaseStream.Write(chunk.bytes);
        }
    }

    private static Dictionary<string, Tensor> ReadFrom(HashingStream stream, string path, long length)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            var count = ReadHeader(reader, path, length);
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                if (tensors.ContainsKey(key))
                {
                    throw Corrupt(path, $"the key '{key}' appears twice");
                }

                tensors.Add(key, ReadTensor(reader, stream, path, key, length));
            }

            if (stream.ReadByte() != -1)
            {
                throw Corrupt(path, $"there are bytes after the last of its {count} entries");
            }

            return tensors;
        }
        catch (EndOfStreamException e)
        {
            DisposeAll(tensors);
            throw new InvalidDataException($"Tensor file '{path}' is truncated ({length} bytes).", e);
        }
        catch (FormatException e)
        {
            DisposeAll(tensors);
            throw new InvalidDataException($"Tensor file '{path}' is corrupt: {e.Message}", e);
        }
        catch (IOException e)
        {
            DisposeAll(tensors);
            throw new IOException($"Cannot read tensor file '{path}': {e.Message}", e);
        }
        catch
        {
            DisposeAll(tensors);
            throw;
        }
    }

    private static int ReadHeader(BinaryReader reader, string path, long length)
    {
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw Corrupt(path, $"it does not start with the magic \"LPDT\" ({length} bytes)");
        }

        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw Corrupt(path, $"its format version is {version}; this build reads version {FormatVersion}");
        }

        var count = reader.ReadInt32();
        if (count < 0)
        {
            throw Corrupt(path, $"its entry count is {count}");
        }

        return count;
    }

    private static Tensor ReadTensor(BinaryReader reader, HashingStream stream, string path, string key, long length)
    {
        var code = reader.ReadByte();
        if (!TensorFileDType.TryDecode(code, out var type, out var elementSize))
        {
            throw Corrupt(path, $"entry '{key}' has the unknown dtype code {code}");
        }

        var rank = reader.ReadInt32();
        if (rank is < 0 or > MaxRank)
        {
            throw Corrupt(path, $"entry '{key}' has rank {rank}");
        }

        var shape = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            shape[d] = reader.ReadInt64();
        }

        var byteCount = reader.ReadInt64();
        var expectedBytes = ExpectedBytes(shape, elementSize, path, key);
        if (byteCount != expectedBytes || byteCount > length - stream.BytesProcessed)
        {
            throw Corrupt(path, $"entry '{key}' declares {byteCount} data bytes for shape [{string.Join(", ", shape)}] "
                + $"with {length - stream.BytesProcessed} bytes left in the file");
        }

        return ReadData(stream, shape, type, elementSize);
    }

    private static long ExpectedBytes(long[] shape, int elementSize, string path, string key)
    {
        try
        {
            long count = elementSize;
            foreach (var dim in shape)
            {
                if (dim < 0)
                {
                    throw Corrupt(path, $"entry '{key}' has the negative dimension {dim}");
                }

                count = checked(count * dim);
            }

            return count;
        }
        catch (OverflowException e)
        {
            throw new InvalidDataException($"Tensor file '{path}' is corrupt: entry '{key}' is too large.", e);
        }
    }

    private static Tensor ReadData(HashingStream stream, long[] shape, ScalarType type, int elementSize)
    {
        var tensor = empty(shape, type);
        try
        {
            using var scope = NewDisposeScope();
            var flat = tensor.reshape(-1);
            var chunkElements = ChunkBytes / elementSize;
            for (long start = 0; start < flat.numel(); start += chunkElements)
            {
                using var chunk = flat.narrow(0, start, Math.Min(chunkElements, flat.numel() - start));
                stream.ReadExactly(chunk.bytes);
            }

            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    private static void CheckWritable(string path, string key, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tensor);

        if (!TensorFileDType.TryEncode(tensor.dtype, out _, out _))
        {
            throw new ArgumentException($"Cannot write '{path}': tensor '{key}' has dtype {tensor.dtype}; "
                + $"supported: {TensorFileDType.Supported}.", nameof(tensor));
        }
    }

    private static FileStream OpenForRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot open tensor file '{path}': {e.Message}", e);
        }
    }

    private static InvalidDataException Corrupt(string path, string problem) =>
        new($"Tensor file '{path}' is corrupt: {problem}.");

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        tensors.Clear();
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(
                "Tensor files store raw little-endian bytes; this CPU is big-endian.");
        }
    }
}
