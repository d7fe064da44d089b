namespace LatePhaseDist.Cli.Configuration;

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
