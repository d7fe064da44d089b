namespace LatePhaseDist.Core.Data;

/// <summary>
/// The SplitMix64 generator (Steele, Lea, Flood 2014): a 64-bit counter passed through a fixed mixing function.
/// Written out here because System.Random's algorithm is unspecified and may change between .NET versions,
/// while data order and augmentation must stay the same wherever and whenever a run is repeated.
/// </summary>
internal struct SplitMix64
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong state;

    /// <summary>Starts the generator at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => state = seed;

    /// <summary>The SplitMix64 finaliser: a bijective mix of all 64 bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Hashes a value into a running hash; order matters, so (a, b) and (b, a) differ.</summary>
    public static ulong Combine(ulong hash, ulong value) => Mix(hash + Golden + Mix(value + Golden));

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        state += Golden;
        return Mix(state);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias (Lemire's method).</summary>
    public int NextBelow(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);

        return (int)Below(Next(), (ulong)bound, ref this);
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (Next() >> 40) * (1.0f / (1 << 24));

    /// <summary>Maps 64 random bits to [0, bound); draws from <paramref name="source"/> only to reject bias.</summary>
    internal static ulong Below(ulong bits, ulong bound, ref SplitMix64 source)
    {
        var high = Math.BigMul(bits, bound, out var low);
        if (low < bound)
        {
            var threshold = (0UL - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(source.Next(), bound, out low);
            }
        }

        return high;
    }
}
