using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// Checkpoints under one root directory, one sub-directory per checkpoint (root/step-0000001234/). Parts are
/// written first, each atomically; the checkpoint exists only once its manifest.json has been renamed into place
/// after every part. Several writers (one per worker) may write parts of the same step; one committer commits.
/// </summary>
public sealed class CheckpointStore
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>A store under <paramref name="rootDirectory"/>, created by the first <see cref="Begin"/>.</summary>
    /// <param name="rootDirectory">The directory holding one sub-directory per checkpoint.</param>
    /// <param name="logger">Where skipped, committed and pruned checkpoints are reported; default none.</param>
    /// <param name="timeProvider">The clock for <see cref="CheckpointManifest.CreatedUtc"/>; default system.</param>
    public CheckpointStore(string rootDirectory, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);

        RootDirectory = Path.GetFullPath(rootDirectory);
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The absolute root directory.</summary>
    public string RootDirectory { get; }

    /// <summary>The directory of the checkpoint taken after <paramref name="step"/> global steps.</summary>
    public string DirectoryFor(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);

        return Path.Combine(RootDirectory, CheckpointNames.Directory(step));
    }

    /// <summary>
    /// Creates (or reuses) the directory for <paramref name="step"/> and returns a writer for its parts. Each
    /// worker may call this for the same step. A manifest left there by an earlier run is removed first, since
    /// its parts are about to be overwritten.
    /// </summary>
    /// <exception cref="IOException">The directory cannot be created or written; the message names it.</exception>
    public CheckpointWriter Begin(long step)
    {
        var directory = DirectoryFor(step);
        try
        {
            Directory.CreateDirectory(directory);
            ProbeWritable(directory);
            RemoveOldManifest(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot create or write the checkpoint directory '{directory}': {e.Message}", e);
        }

        return new CheckpointWriter(directory, step, _logger, _time);
    }

    /// <summary>
    /// Commits the checkpoint in <paramref name="directory"/>: checks that every file <paramref name="manifest"/>
    /// lists exists with its recorded size (hashes are the writers' word), writes manifest.json.tmp, flushes it
    /// to disk and renames it to manifest.json. This is the only commit; use it as the coordinator that collected
    /// <see cref="CheckpointWriter.Files"/> from every writer.
    /// </summary>
    /// <returns>The manifest as written, <see cref="CheckpointManifest.CreatedUtc"/> stamped if it was unset.</returns>
    /// <exception cref="ArgumentException">The directory is not named step-NNNNNNNNNN, or the manifest is invalid.
    /// </exception>
    /// <exception cref="InvalidOperationException">A listed file is missing or has another size.</exception>
    /// <exception cref="IOException">The manifest cannot be written; the message names the path.</exception>
    public static CheckpointManifest Commit(
        string directory,
        CheckpointManifest manifest,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(manifest);

        var fullDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (!CheckpointNames.TryParseStep(Path.GetFileName(fullDirectory), out var step))
        {
            throw new ArgumentException($"'{fullDirectory}' is not a checkpoint directory (step-NNNNNNNNNN).",
                nameof(directory));
        }

        var stamped = manifest.CreatedUtc == default
            ? manifest with { CreatedUtc = (timeProvider ?? TimeProvider.System).GetUtcNow() }
            : manifest;
        if (CheckpointManifestRules.Problem(stamped, step) is { } problem)
        {
            throw new ArgumentException($"Cannot commit '{fullDirectory}': {problem}.", nameof(manifest));
        }

        CheckFilesPresent(fullDirectory, stamped.Files);

        var json = JsonSerializer.SerializeToUtf8Bytes(stamped, CheckpointJsonContext.Default.CheckpointManifest);
        _ = AtomicFile.Write(
            Path.Combine(fullDirectory, CheckpointNames.Manifest),
            stream => stream.Write(json),
            Path.Combine(fullDirectory, CheckpointNames.ManifestTemporary));

        CheckpointLog.Committed(logger ?? NullLogger.Instance, fullDirectory, step, stamped.Files.Count,
            stamped.Files.Sum(f => f.Bytes));
        return stamped;
    }

    /// <summary>
    /// The newest checkpoint whose manifest exists, parses and whose every file has its recorded size and SHA-256
    /// (every file is read in full); newer directories that fail are logged with the reason and skipped.
    /// </summary>
    /// <returns>The checkpoint, or null when there is none.</returns>
    public CommittedCheckpoint? LatestComplete()
    {
        foreach (var (step, directory) in StepDirectoriesNewestFirst())
        {
            var (manifest, problem) = CheckpointVerifier.Verify(directory, step);
            if (manifest is not null)
            {
                CheckpointLog.FoundLatest(_logger, directory, step);
                return new CommittedCheckpoint(directory, manifest);
            }

            CheckpointLog.Skipped(_logger, directory, problem ?? "unknown");
        }

        CheckpointLog.NoneFound(_logger, RootDirectory);
        return null;
    }

    /// <summary>
    /// Deletes complete checkpoints beyond the newest <paramref name="keep"/> and incomplete directories older
    /// than the newest complete one; incomplete directories newer than it may still be in progress and stay.
    /// Failures to delete are logged, not thrown.
    /// </summary>
    /// <param name="keep">How many complete checkpoints to keep; at least 1.</param>
    public void Prune(int keep)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);

        var complete = 0;
        foreach (var (step, directory) in StepDirectoriesNewestFirst())
        {
            if (complete >= keep)
            {
                Delete(directory, $"older than the newest {keep} complete checkpoints");
                continue;
            }

            var (manifest, problem) = CheckpointVerifier.Verify(directory, step);
            if (manifest is not null)
            {
                complete++;
            }
            else if (complete > 0)
            {
                Delete(directory, $"incomplete and older than the newest complete checkpoint ({problem})");
            }
        }
    }

    private List<(long Step, string Directory)> StepDirectoriesNewestFirst()
    {
        if (!Directory.Exists(RootDirectory))
        {
            return [];
        }

        try
        {
            return Directory.EnumerateDirectories(RootDirectory)
                .Select(d => (Ok: CheckpointNames.TryParseStep(Path.GetFileName(d), out var s), Step: s, Directory: d))
                .Where(e => e.Ok)
                .Select(e => (e.Step, e.Directory))
                .OrderByDescending(e => e.Step)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot list the checkpoint root '{RootDirectory}': {e.Message}", e);
        }
    }

    private void Delete(string directory, string reason)
    {
        try
        {
            // The manifest goes first, so a directory that is half deleted never looks complete.
            File.Delete(Path.Combine(directory, CheckpointNames.Manifest));
            Directory.Delete(directory, recursive: true);
            CheckpointLog.Pruned(_logger, directory, reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CheckpointLog.PruneFailed(_logger, directory, e.Message);
        }
    }

    private void RemoveOldManifest(string directory)
    {
        var manifest = Path.Combine(directory, CheckpointNames.Manifest);
        if (File.Exists(manifest))
        {
            File.Delete(manifest);
            _ = DirectorySync.TryFlush(directory);
            CheckpointLog.Uncommitted(_logger, directory);
        }
    }

    private static void ProbeWritable(string directory)
    {
        var probe = Path.Combine(directory, $".probe-{Guid.NewGuid():N}.tmp");
        using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
            FileOptions.DeleteOnClose);
        stream.WriteByte(0);
    }

    private static void CheckFilesPresent(string directory, IReadOnlyList<CheckpointFile> files)
    {
        foreach (var file in files)
        {
            var info = new FileInfo(Path.Combine(directory, file.Name));
            if (!info.Exists)
            {
                throw new InvalidOperationException($"Cannot commit '{directory}': part '{file.Name}' is missing.");
            }

            if (info.Length != file.Bytes)
            {
                throw new InvalidOperationException($"Cannot commit '{directory}': part '{file.Name}' has "
                    + $"{info.Length} bytes, the manifest says {file.Bytes}.");
            }
        }
    }
}
