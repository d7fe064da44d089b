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

/// <summary>What a training run inside a run directory trains.</summary>
internal enum RunKind
{
    /// <summary>The network with late-phase weights.</summary>
    LatePhase,

    /// <summary>A plain network as the main run (late-phase weights off).</summary>
    Plain,

    /// <summary>The plain comparison network trained beside a late-phase run.</summary>
    Baseline,
}
