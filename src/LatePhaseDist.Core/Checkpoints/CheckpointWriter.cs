using Microsoft.Extensions.Logging;
using TorchSharp;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// Writes the parts of one checkpoint directory, each atomically and with its SHA-256 computed from the bytes
/// written, and commits the checkpoint. Not thread-safe: one writer per thread; several writers (one per worker)
/// may share a directory when their part names differ. Get one from <see cref="CheckpointStore.Begin"/>.
/// </summary>
public sealed class CheckpointWriter
{
    private readonly List<CheckpointFile> _files = [];
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private string? _failedPart;
    private bool _committed;

    internal CheckpointWriter(string directory, long step, ILogger logger, TimeProvider time)
    {
        Directory = directory;
        Step = step;
        _logger = logger;
        _time = time;
    }

    /// <summary>The absolute checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The global step this checkpoint is taken after.</summary>
    public long Step { get; }

    /// <summary>The parts this writer has written so far: what a worker reports to the committer.</summary>
    public IReadOnlyList<CheckpointFile> Files => _files;

    /// <summary>Writes <paramref name="tensors"/> as the part <paramref name="name"/> (a plain file name).</summary>
    /// <returns>The SHA-256 (lowercase hex) of the bytes written.</returns>
    /// <exception cref="IOException">The part cannot be written; the message names its path.</exception>
    public string WritePart(string name, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);

        return Record(name, path => TensorFile.WriteHashed(path, tensors));
    }

    /// <summary>Writes <paramref name="data"/> as the part <paramref name="name"/> (a plain file name).</summary>
    /// <returns>The SHA-256 (lowercase hex) of the bytes written.</returns>
    /// <exception cref="IOException">The part cannot be written; the message names its path.</exception>
    public string WriteBytes(string name, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);

        return Record(name, path => AtomicFile.Write(path, stream => stream.Write(data)));
    }

    /// <summary>
    /// Commits the checkpoint: the manifest's <see cref="CheckpointManifest.Files"/> become the files it already
    /// lists (parts other writers reported) followed by this writer's parts; then manifest.json is written and
    /// renamed into place (see <see cref="CheckpointStore.Commit"/>). Refused after a failed part write.
    /// </summary>
    /// <returns>The manifest as committed.</returns>
    public CheckpointManifest Commit(CheckpointManifest manifestWithoutFiles)
    {
        ArgumentNullException.ThrowIfNull(manifestWithoutFiles);
        EnsureOpen();

        if (_failedPart is not null)
        {
            throw new InvalidOperationException(
                $"Cannot commit '{Directory}': writing its part '{_failedPart}' failed, so it is incomplete.");
        }

        var manifest = manifestWithoutFiles with { Files = [.. manifestWithoutFiles.Files, .. _files] };
        var committed = CheckpointStore.Commit(Directory, manifest, _logger, _time);
        _committed = true;
        return committed;
    }

    private string Record(string name, Func<string, (string Sha256, long Bytes)> write)
    {
        EnsureOpen();
        if (CheckpointNames.PartNameProblem(name) is { } problem)
        {
            throw new ArgumentException($"Cannot write a part of '{Directory}': {problem}.", nameof(name));
        }

        if (_files.Exists(f => f.Name == name))
        {
            throw new InvalidOperationException($"The part '{name}' of '{Directory}' was already written.");
        }

        try
        {
            var (sha256, bytes) = write(Path.Combine(Directory, name));
            _files.Add(new CheckpointFile(name, sha256, bytes));
            return sha256;
        }
        catch
        {
            _failedPart ??= name;
            throw;
        }
    }

    private void EnsureOpen()
    {
        if (_committed)
        {
            throw new InvalidOperationException($"The checkpoint '{Directory}' is already committed.");
        }
    }
}
