using LatePhaseDist.Core.Training;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Training;

/// <summary>One worker of a pretend W-worker job whose peers add nothing; it places members like a real job.</summary>
internal sealed class LoopbackCollective(int workers, int rank) : ICollective
{
    public int WorkerCount => workers;

    public int Rank => rank;

    public void AllReduceShared(IReadOnlyList<Tensor> tensors)
    {
    }

    public void AllReduceMember(int member, IReadOnlyList<Tensor> tensors)
    {
    }

    public void AverageShared(IReadOnlyList<Tensor> tensors)
    {
    }

    public bool AnyWorker(bool value) => value;
}
