using System.Security.Cryptography;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// Passes reads or writes through to another stream while computing the SHA-256 and the count of the bytes
/// that went through, so that a file's hash comes from the bytes actually written or read, in one pass.
/// </summary>
internal sealed class HashingStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool _forWriting;

    public HashingStream(Stream inner, bool forWriting)
    {
        _inner = inner;
        _forWriting = forWriting;
    }

    /// <summary>Bytes that went through so far.</summary>
    public long BytesProcessed { get; private set; }

    public override bool CanRead => !_forWriting;

    public override bool CanSeek => false;

    public override bool CanWrite => _forWriting;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesProcessed;
        set => throw new NotSupportedException();
    }

    /// <summary>The lowercase hex SHA-256 of every byte that went through; call once, at the end.</summary>
    public string FinishHash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        EnsureMode(reading: true);

        var read = _inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        BytesProcessed += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureMode(reading: false);

        _inner.Write(buffer);
        _hash.AppendData(buffer);
        BytesProcessed += buffer.Length;
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void EnsureMode(bool reading)
    {
        if (reading == _forWriting)
        {
            throw new NotSupportedException(reading ? "This stream only writes." : "This stream only reads.");
        }
    }
}
