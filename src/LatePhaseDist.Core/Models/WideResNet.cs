using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>
/// Wide ResNet WRN-d-k (Zagoruyko and Komodakis 2016), pre-activation as in the authors' code and without
/// dropout: a 3×3 stem conv of width 16, three stages of (d-4)/6 pre-activation basic blocks with widths
/// 16k, 32k, 64k (stride 2 at stages 2 and 3, 1×1 conv shortcut where the shape changes), then
/// BN → ReLU → global average pool → <c>fc</c>. WRN-28-10 has 36,479,194 parameters for 3×32×32 inputs
/// and 10 classes, in 25 BatchNorm layers with 8,976 channels.
/// </summary>
/// <remarks>
/// State-dict keys as in <see cref="PreActResNet"/>: <c>conv1</c>, <c>layer1</c>..<c>layer3</c>, <c>bn</c>,
/// <c>fc</c>. The global pool equals the authors' 8×8 average pool on 32×32 inputs and also serves 28×28.
/// </remarks>
public sealed class WideResNet : Module<Tensor, Tensor>
{
    private const int StemWidth = 16;

    // Declared as Module<Tensor, Tensor>: the late-phase conversion assigns member-aware layers to these fields.
    private readonly Module<Tensor, Tensor> conv1;
    private readonly ModuleList<Module<Tensor, Tensor>> layer1;
    private readonly ModuleList<Module<Tensor, Tensor>> layer2;
    private readonly ModuleList<Module<Tensor, Tensor>> layer3;
    private readonly Module<Tensor, Tensor> bn;
    private readonly Module<Tensor, Tensor> fc;

    /// <summary>Builds the network with fresh weights drawn from torch's default generator.</summary>
    /// <param name="inputChannels">Channels of the input image, e.g. 1 or 3.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="depth">6n+4 for n blocks per stage; default 28.</param>
    /// <param name="widenFactor">Widen factor k; default 10.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the depth is not 6n+4.</exception>
    public WideResNet(int inputChannels, int classes, int depth = 28, int widenFactor = 10)
        : base(nameof(WideResNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(widenFactor, 1);
        if (depth < 10 || (depth - 4) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth must be 6n+4 (10, 16, 22, 28...).");
        }

        var blocks = (depth - 4) / 6;
        var width = (long)StemWidth * widenFactor;

        conv1 = Layers.Conv3x3(inputChannels, StemWidth);
        layer1 = PreActBlock.Stage(StemWidth, width, blocks, stride: 1);
        layer2 = PreActBlock.Stage(width, 2 * width, blocks, stride: 2);
        layer3 = PreActBlock.Stage(2 * width, 4 * width, blocks, stride: 2);
        bn = Layers.BatchNorm2d(4 * width);
        fc = Layers.Linear(4 * width, classes);

        RegisterComponents();
    }

    /// <summary>Maps images [N, C, H, W] to logits [N, classes].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();

        var x = conv1.call(input);
        x = PreActBlock.Run(layer1, x);
        x = PreActBlock.Run(layer2, x);
        x = PreActBlock.Run(layer3, x);

        x = functional.relu(bn.call(x));
        x = functional.adaptive_avg_pool2d(x, [1, 1]).flatten(1);

        return fc.call(x).MoveToOuterDisposeScope();
    }
}
