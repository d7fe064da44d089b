namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// Writes a file so that readers see either the old content or the whole new content: the bytes go to a
/// temporary file in the same directory, are flushed to disk, and the temporary file is renamed over the target.
/// </summary>
internal static class AtomicFile
{
    private const int BufferBytes = 1 << 16;

    /// <summary>
    /// Writes what <paramref name="writeContent"/> puts into its stream to <paramref name="path"/> and returns the
    /// SHA-256 (lowercase hex) and length of those bytes. <paramref name="temporaryPath"/> defaults to a unique
    /// hidden name next to the target. IO failures come back as <see cref="IOException"/> naming the target.
    /// </summary>
    public static (string Sha256, long Bytes) Write(
        string path,
        Action<Stream> writeContent,
        string? temporaryPath = null)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.");
        var temporary = temporaryPath
            ?? Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

        try
        {
            var result = WriteAndFlush(temporary, writeContent);
            File.Move(temporary, fullPath, overwrite: true);
            _ = DirectorySync.TryFlush(directory);
            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IOException($"Cannot write '{fullPath}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static (string Sha256, long Bytes) WriteAndFlush(string temporary, Action<Stream> writeContent)
    {
        using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, BufferBytes);
        using var hashing = new HashingStream(file, forWriting: true);

        writeContent(hashing);
        hashing.Flush();
        file.Flush(flushToDisk: true);

        return (hashing.FinishHash(), hashing.BytesProcessed);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The write already failed; a leftover temporary file is harmless and never read.
        }
    }
}
