namespace LatePhaseDist.Core;

/// <summary>Derives independent 64-bit seeds from several integers with a SplitMix64 finaliser.</summary>
public static class SeedMix
{
    /// <summary>Mixes the values into one well-spread seed; the same values always give the same seed.</summary>
    public static ulong Combine(params ReadOnlySpan<ulong> values)
    {
        ulong state = 0x9e3779b97f4a7c15UL;
        foreach (ulong value in values)
        {
            state = Finalise(state ^ Finalise(value + 0x9e3779b97f4a7c15UL));
        }

        return state;
    }

    /// <summary>The SplitMix64 output function.</summary>
    public static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
