namespace LatePhaseDist.Core.Checkpoints;

/// <summary>
/// What a checkpoint directory holds and where training continues from; written last, as manifest.json, whose
/// atomic rename is the checkpoint's only commit. Stored as camelCase JSON.
/// </summary>
public sealed record CheckpointManifest
{
    /// <summary>The manifest format this code writes and reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The phase value before T0, when all members share their φ.</summary>
    public const string TiedPhase = "tied";

    /// <summary>The phase value from T0 on, when each member trains its own φ.</summary>
    public const string ReleasedPhase = "released";

    /// <summary>The manifest format version; default <see cref="CurrentFormatVersion"/>.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Global steps completed when the checkpoint was taken; also names its directory.</summary>
    public required long Step { get; init; }

    /// <summary>The epoch to continue from (0-based).</summary>
    public required int Epoch { get; init; }

    /// <summary>Steps already done inside <see cref="Epoch"/>.</summary>
    public required int StepInEpoch { get; init; }

    /// <summary><see cref="TiedPhase"/> or <see cref="ReleasedPhase"/>.</summary>
    public required string Phase { get; init; }

    /// <summary>The job generation that wrote the checkpoint; default 0 (a single process).</summary>
    public long Generation { get; init; }

    /// <summary>The hash of the experiment configuration, so a resume under another config is refused.</summary>
    public required string ConfigHash { get; init; }

    /// <summary>The run's seed.</summary>
    public required long Seed { get; init; }

    /// <summary>The number of late-phase members K.</summary>
    public required int MemberCount { get; init; }

    /// <summary>Further state as text (sampler position, RNG state, ...); default empty.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>When the manifest was committed; stamped at commit when left at its default.</summary>
    public DateTimeOffset CreatedUtc { get; init; }

    /// <summary>Every file of the checkpoint with its SHA-256 and size; filled at commit.</summary>
    public IReadOnlyList<CheckpointFile> Files { get; init; } = [];
}
