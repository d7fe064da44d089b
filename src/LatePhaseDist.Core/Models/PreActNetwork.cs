using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>
/// The pre-activation residual network both <see cref="PreActResNet"/> and <see cref="WideResNet"/> are: a 3×3
/// stem conv, three stages of pre-activation basic blocks of widths w, 2w, 4w (stride 2 at stages 2 and 3, 1×1 conv
/// shortcut where the shape changes), then BN → ReLU → global average pool → <c>fc</c>.
/// </summary>
/// <remarks>
/// State-dict keys: <c>conv1</c>, <c>layer1</c>..<c>layer3</c> (blocks <c>0</c>..<c>n-1</c>, each with
/// <c>bn1</c>, <c>conv1</c>, <c>bn2</c>, <c>conv2</c> and, where the shape changes, <c>shortcut</c>),
/// <c>bn</c>, <c>fc</c>. Convolutions have no bias and Kaiming-normal (fan_out) weights.
/// </remarks>
public abstract class PreActNetwork : Module<Tensor, Tensor>
{
    // Declared as Module<Tensor, Tensor>: the late-phase conversion assigns member-aware layers to these fields.
    private readonly Module<Tensor, Tensor> conv1;
    private readonly ModuleList<Module<Tensor, Tensor>> layer1;
    private readonly ModuleList<Module<Tensor, Tensor>> layer2;
    private readonly ModuleList<Module<Tensor, Tensor>> layer3;
    private readonly Module<Tensor, Tensor> bn;
    private readonly Module<Tensor, Tensor> fc;

    /// <summary>Builds the network with fresh weights drawn from torch's default generator.</summary>
    private protected PreActNetwork(
        string name, int inputChannels, int classes, long stemWidth, long stageWidth, int blocksPerStage)
        : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);

        conv1 = Layers.Conv3x3(inputChannels, stemWidth);
        layer1 = PreActBlock.Stage(stemWidth, stageWidth, blocksPerStage, stride: 1);
        layer2 = PreActBlock.Stage(stageWidth, 2 * stageWidth, blocksPerStage, stride: 2);
        layer3 = PreActBlock.Stage(2 * stageWidth, 4 * stageWidth, blocksPerStage, stride: 2);
        bn = Layers.BatchNorm2d(4 * stageWidth);
        fc = Layers.Linear(4 * stageWidth, classes);

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
