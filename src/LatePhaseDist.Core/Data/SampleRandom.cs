namespace LatePhaseDist.Core.Data;

/// <summary>
/// Per-sample random draws as pure functions of (seed, epoch, sample index, stream): no shared generator, so
/// the draws for a sample never depend on which thread or worker builds its batch, or in what order.
/// </summary>
public static class SampleRandom
{
    /// <summary>Stream of the vertical crop offset.</summary>
    public const int CropYStream = 0;

    /// <summary>Stream of the horizontal crop offset.</summary>
    public const int CropXStream = 1;

    /// <summary>Stream of the horizontal flip decision.</summary>
    public const int FlipStream = 2;

    // Keeps sample draws apart from the data-order generator, which hashes the same (seed, epoch).
    private const ulong SampleDomain = 0x5A4D_504C_4544_5241UL;

    /// <summary>64 random bits for one sample and stream; the same arguments always give the same bits.</summary>
    public static ulong Bits(long seed, int epoch, int sampleIndex, int stream)
    {
        var hash = SplitMix64.Combine(SampleDomain, (ulong)seed);
        hash = SplitMix64.Combine(hash, (uint)epoch);
        hash = SplitMix64.Combine(hash, (uint)sampleIndex);
        return SplitMix64.Combine(hash, (uint)stream);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) for one sample and stream, without bias.</summary>
    public static int Below(long seed, int epoch, int sampleIndex, int stream, int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);

        var bits = Bits(seed, epoch, sampleIndex, stream);
        var rejectionSource = new SplitMix64(bits);
        return (int)SplitMix64.Below(bits, (ulong)bound, ref rejectionSource);
    }

    /// <summary>
    /// The augmentation drawn for one sample: crop offsets in [0, 2·padCrop] into the zero-padded image and a
    /// flip with probability ½ when <paramref name="horizontalFlip"/> is set.
    /// </summary>
    public static SampleAugmentation Draw(long seed, int epoch, int sampleIndex, int padCrop, bool horizontalFlip)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padCrop);

        var offsetY = padCrop == 0 ? 0 : Below(seed, epoch, sampleIndex, CropYStream, 2 * padCrop + 1);
        var offsetX = padCrop == 0 ? 0 : Below(seed, epoch, sampleIndex, CropXStream, 2 * padCrop + 1);
        var flip = horizontalFlip && (Bits(seed, epoch, sampleIndex, FlipStream) >> 63) == 1;
        return new SampleAugmentation(offsetY, offsetX, flip);
    }
}
