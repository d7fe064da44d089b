using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// A validated config with every default filled in, and the Core objects it describes. <see cref="Config"/> is what
/// a run writes to <c>config.resolved.json</c>.
/// </summary>
internal sealed record ResolvedConfig(
    RunConfig Config,
    DataShape Shape,
    ModelSpec Model,
    AugmentationOptions Augmentation,
    LatePhaseOptions? LatePhase)
{
    /// <summary>The run directory (absolute).</summary>
    public string RunDirectory => Config.Output!;

    /// <summary>The main run's kind: late-phase, or plain when late-phase weights are off.</summary>
    public RunKind MainKind => LatePhase is null ? RunKind.Plain : RunKind.LatePhase;
}
