using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>
/// Pre-activation ResNet-(6n+2) for small images (He et al. 2016, v2): a 3×3 stem conv of width w, three
/// stages of n pre-activation basic blocks with widths w, 2w, 4w (stride 2 at stages 2 and 3), then
/// BN → ReLU → global average pool → <c>fc</c>. ResNet-20 with w = 16 has 272,282 parameters for
/// 3×32×32 inputs and 10 classes.
/// </summary>
/// <remarks>
/// State-dict keys: <c>conv1</c>, <c>layer1</c>..<c>layer3</c> (blocks <c>0</c>..<c>n-1</c>, each with
/// <c>bn1</c>, <c>conv1</c>, <c>bn2</c>, <c>conv2</c> and, where the shape changes, <c>shortcut</c>),
/// <c>bn</c>, <c>fc</c>. Convolutions have no bias and Kaiming-normal (fan_out) weights.
/// </remarks>
public sealed class PreActResNet : Module<Tensor, Tensor>
{
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
    /// <param name="depth">6n+2 for n blocks per stage; default 20.</param>
    /// <param name="width">Width w of the stem and first stage; default 16.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the depth is not 6n+2.</exception>
    public PreActResNet(int inputChannels, int classes, int depth = 20, int width = 16)
        : base(nameof(PreActResNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (depth < 8 || (depth - 2) % 6 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth must be 6n+2 (8, 14, 20, ...).");
        }

        var blocks = (depth - 2) / 6;

        conv1 = Layers.Conv3x3(inputChannels, width);
        layer1 = PreActBlock.Stage(width, width, blocks, stride: 1);
        layer2 = PreActBlock.Stage(width, 2L * width, blocks, stride: 2);
        layer3 = PreActBlock.Stage(2L * width, 4L * width, blocks, stride: 2);
        bn = Layers.BatchNorm2d(4L * width);
        fc = Layers.Linear(4L * width, classes);

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
