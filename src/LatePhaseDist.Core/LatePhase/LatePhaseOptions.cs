namespace LatePhaseDist.Core.LatePhase;

/// <summary>Which layers of a network become late-phase weights, and how many members they get.</summary>
public sealed record LatePhaseOptions
{
    /// <summary>Number of members K; default 10, as in the paper.</summary>
    public int Members { get; init; } = 10;

    /// <summary>Replicate every BatchNorm1d/BatchNorm2d (γ, β and running statistics); default true.</summary>
    public bool BatchNorm { get; init; } = true;

    /// <summary>Replicate the classifier head (the Linear at <see cref="HeadPath"/>); default true.</summary>
    public bool Head { get; init; } = true;

    /// <summary>Module path of the classifier head; default "fc".</summary>
    public string HeadPath { get; init; } = "fc";
}
