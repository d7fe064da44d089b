using static TorchSharp.torch;

namespace LatePhaseDist.Core.Training;

/// <summary>The collective of a job with one worker: nothing to exchange.</summary>
public sealed class SingleProcessCollective : ICollective
{
    /// <summary>The one instance.</summary>
    public static SingleProcessCollective Instance { get; } = new();

    /// <inheritdoc/>
    public int WorkerCount => 1;

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public void AllReduceShared(IReadOnlyList<Tensor> tensors)
    {
    }

    /// <inheritdoc/>
    public void AllReduceMember(int member, IReadOnlyList<Tensor> tensors)
    {
    }

    /// <inheritdoc/>
    public void AverageShared(IReadOnlyList<Tensor> tensors)
    {
    }

    /// <inheritdoc/>
    public bool AnyWorker(bool value) => value;
}
