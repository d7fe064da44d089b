namespace LatePhaseDist.Core.Models;

/// <summary>
/// Wide ResNet WRN-d-k (Zagoruyko and Komodakis 2016), pre-activation as in the authors' code and without
/// dropout: a stem conv of width 16, then stages of (d-4)/6 blocks with widths 16k, 32k, 64k. WRN-28-10 has
/// 36,479,194 parameters for 3×32×32 inputs and 10 classes, in 25 BatchNorm layers with 8,976 channels. The global
/// pool equals the authors' 8×8 average pool on 32×32 inputs and also serves 28×28.
/// </summary>
public sealed class WideResNet : PreActNetwork
{
    private const int StemWidth = 16;

    /// <summary>Builds the network with fresh weights drawn from torch's default generator.</summary>
    /// <param name="inputChannels">Channels of the input image, e.g. 1 or 3.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="depth">6n+4 for n blocks per stage; default 28.</param>
    /// <param name="widenFactor">Widen factor k; default 10.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the depth is not 6n+4.</exception>
    public WideResNet(int inputChannels, int classes, int depth = 28, int widenFactor = 10)
        : base(nameof(WideResNet), inputChannels, classes, StemWidth, StageWidth(widenFactor), BlocksPerStage(depth))
    {
    }

    private static long StageWidth(int widenFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(widenFactor, 1);
        return (long)StemWidth * widenFactor;
    }

    private static int BlocksPerStage(int depth) => depth >= 10 && (depth - 4) % 6 == 0
        ? (depth - 4) / 6
        : throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth must be 6n+4 (10, 16, 22, 28...).");
}
