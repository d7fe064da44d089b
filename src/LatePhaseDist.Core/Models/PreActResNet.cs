namespace LatePhaseDist.Core.Models;

/// <summary>
/// Pre-activation ResNet-(6n+2) for small images (He et al. 2016, v2): stem and first stage of width w, stages of
/// n blocks with widths w, 2w, 4w. ResNet-20 with w = 16 has 272,282 parameters for 3×32×32 inputs and 10 classes.
/// </summary>
public sealed class PreActResNet : PreActNetwork
{
    /// <summary>Builds the network with fresh weights drawn from torch's default generator.</summary>
    /// <param name="inputChannels">Channels of the input image, e.g. 1 or 3.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="depth">6n+2 for n blocks per stage; default 20.</param>
    /// <param name="width">Width w of the stem and first stage; default 16.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the depth is not 6n+2.</exception>
    public PreActResNet(int inputChannels, int classes, int depth = 20, int width = 16)
        : base(nameof(PreActResNet), inputChannels, classes, Positive(width), width, BlocksPerStage(depth))
    {
    }

    private static int Positive(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        return width;
    }

    private static int BlocksPerStage(int depth) => depth >= 8 && (depth - 2) % 6 == 0
        ? (depth - 2) / 6
        : throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth must be 6n+2 (8, 14, 20, ...).");
}
