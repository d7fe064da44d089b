using static TorchSharp.torch;

namespace LatePhaseDist.Core.Training;

/// <summary>
/// What one worker of a training job shares with the others. The trainer calls it at step boundaries only; in one
/// process every operation is a no-op, so the single-machine trainer and the distributed one are the same code.
/// </summary>
public interface ICollective
{
    /// <summary>Number of workers W.</summary>
    int WorkerCount { get; }

    /// <summary>This worker's rank, 0..W-1.</summary>
    int Rank { get; }

    /// <summary>Sums the tensors in place over all workers (shared weights' gradients).</summary>
    void AllReduceShared(IReadOnlyList<Tensor> tensors);

    /// <summary>Sums member <paramref name="member"/>'s tensors in place over that member's replicas only.</summary>
    void AllReduceMember(int member, IReadOnlyList<Tensor> tensors);

    /// <summary>Averages the tensors in place over all workers (the tied statistics at release).</summary>
    void AverageShared(IReadOnlyList<Tensor> tensors);

    /// <summary>True on every worker when any worker passes true (the joint skip decision).</summary>
    bool AnyWorker(bool value);
}
