using LatePhaseDist.Core.LatePhase;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>Late-phase weights (config section <c>latePhase</c>).</summary>
internal sealed record LatePhaseConfig
{
    /// <summary>Convert the network to a late-phase one; false trains only the plain network. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Number of members K, at least 1; default 10.</summary>
    public int Members { get; init; } = 10;

    /// <summary>Replicate every BatchNorm layer (γ, β, running statistics); default true.</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>Replicate the classifier head; default true.</summary>
    public bool Head { get; init; } = true;

    /// <summary>How the members become one network at the end: "fold" (default) or "recompute".</summary>
    public MergePolicy Merge { get; init; } = MergePolicy.Fold;
}
