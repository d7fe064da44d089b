namespace LatePhaseDist.Core.Training;

/// <summary>Scale γθ applied to the K member gradients that θ accumulates over one cycle.</summary>
public enum GammaTheta
{
    /// <summary>γθ = 1: θ steps on the sum of the K gradients (the authors' CIFAR code).</summary>
    Sum,

    /// <summary>γθ = 1/K: θ steps on their mean.</summary>
    Mean,
}
