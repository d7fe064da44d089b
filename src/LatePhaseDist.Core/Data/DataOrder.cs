namespace LatePhaseDist.Core.Data;

/// <summary>
/// The order in which an epoch visits the training set: a function of (seed, epoch) alone, so every worker,
/// placement and resumed run computes the same sequence.
/// </summary>
public static class DataOrder
{
    private const ulong OrderDomain = 0x4F52_4445_5250_4552UL;

    /// <summary>
    /// A permutation of 0..<paramref name="count"/>−1: a Fisher-Yates shuffle driven by a SplitMix64 generator
    /// seeded from a hash of (<paramref name="seed"/>, <paramref name="epoch"/>).
    /// </summary>
    public static int[] Permutation(int count, long seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var hash = SplitMix64.Combine(OrderDomain, (ulong)seed);
        var generator = new SplitMix64(SplitMix64.Combine(hash, (uint)epoch));
        for (var i = count - 1; i > 0; i--)
        {
            var j = generator.NextBelow(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>
    /// The epoch's permutation cut into consecutive minibatches of <paramref name="batchSize"/> samples;
    /// the last, smaller one is dropped when <paramref name="dropLast"/> is set.
    /// </summary>
    public static int[][] Minibatches(int count, int batchSize, long seed, int epoch, bool dropLast)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);

        var order = Permutation(count, seed, epoch);
        var batchCount = dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
        var batches = new int[batchCount][];
        for (var b = 0; b < batchCount; b++)
        {
            var start = b * batchSize;
            batches[b] = order[start..Math.Min(start + batchSize, count)];
        }

        return batches;
    }
}
