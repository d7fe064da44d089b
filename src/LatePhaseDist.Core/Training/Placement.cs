namespace LatePhaseDist.Core.Training;

/// <summary>
/// Which global minibatches a worker trains on. An epoch's data is one permutation cut into minibatches of the
/// per-worker batch size. Before release a step covers W minibatches (plain data parallelism: minibatch
/// step·W + rank); after release a cycle covers K minibatches and minibatch j of the cycle goes to member j, which
/// lives on worker j mod W. An epoch's incomplete last step or cycle is dropped.
/// </summary>
public sealed record Placement(int WorkerCount, int Rank, int MemberCount)
{
    /// <summary>The members this worker hosts, ascending.</summary>
    public IReadOnlyList<int> LocalMembers { get; } =
        Enumerable.Range(0, MemberCount).Where(k => k % WorkerCount == Rank).ToList();

    /// <summary>Checks that the placement is one the trainer supports (1 ≤ W ≤ K, or W = 1).</summary>
    public void Validate()
    {
        OptionException.Require(WorkerCount >= 1, "workers", WorkerCount, "an integer >= 1");
        OptionException.Require(Rank >= 0 && Rank < WorkerCount, "rank", Rank, $"0 <= rank < {WorkerCount}");
        OptionException.Require(
            WorkerCount <= MemberCount || MemberCount == 1,
            "workers", WorkerCount, $"at most the member count K = {MemberCount}");
    }

    /// <summary>Global steps in one epoch of <paramref name="minibatches"/> minibatches.</summary>
    public int StepsPerEpoch(int minibatches, bool released) =>
        minibatches / (released ? MemberCount : WorkerCount);

    /// <summary>
    /// The global minibatch indices this worker trains on in step <paramref name="step"/> of an epoch, with the
    /// member each one is for (member 0, the tied copy, before release).
    /// </summary>
    public IReadOnlyList<(int Minibatch, int Member)> Work(int step, bool released)
    {
        if (!released)
        {
            return [(step * WorkerCount + Rank, 0)];
        }

        return LocalMembers.Select(k => (step * MemberCount + k, k)).ToList();
    }
}
