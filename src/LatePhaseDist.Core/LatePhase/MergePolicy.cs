namespace LatePhaseDist.Core.LatePhase;

/// <summary>How the K members become one ordinary network at the end of training.</summary>
public enum MergePolicy
{
    /// <summary>
    /// Average each member's eval-mode BatchNorm affine map (slope and offset) and average linear weights: the merged
    /// network equals the late-phase network whose every late-phase layer outputs its members' mean, exactly in eval.
    /// BatchNorm statistics of the result are synthetic (mean 0, variance 1 − ε).
    /// </summary>
    Fold,

    /// <summary>
    /// Average γ, β and linear weights in weight space, then recompute BatchNorm statistics over one pass of training
    /// data as the cumulative (equal-weight) average of per-batch statistics.
    /// </summary>
    Recompute,
}
