using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>
/// Pre-activation basic block (He et al. 2016, "Identity mappings"; the WRN authors' block without dropout):
/// BN → ReLU → 3×3 conv (stride) → BN → ReLU → 3×3 conv, plus a shortcut. When the shape changes the
/// shortcut is a 1×1 conv (no BN) applied to the first activation, otherwise the identity on the input.
/// </summary>
internal sealed class PreActBlock : Module<Tensor, Tensor>
{
    // Declared as Module<Tensor, Tensor>: the late-phase conversion assigns member-aware layers to these fields.
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor>? shortcut;

    public PreActBlock(long inChannels, long outChannels, long stride)
        : base(nameof(PreActBlock))
    {
        bn1 = Layers.BatchNorm2d(inChannels);
        conv1 = Layers.Conv3x3(inChannels, outChannels, stride);
        bn2 = Layers.BatchNorm2d(outChannels);
        conv2 = Layers.Conv3x3(outChannels, outChannels);

        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = Layers.Conv1x1(inChannels, outChannels, stride);
        }

        RegisterComponents();
    }

    /// <summary>
    /// Builds one stage: <paramref name="blocks"/> blocks, the first mapping <paramref name="inChannels"/> to
    /// <paramref name="outChannels"/> with <paramref name="stride"/>, the rest keeping the shape.
    /// </summary>
    public static ModuleList<Module<Tensor, Tensor>> Stage(long inChannels, long outChannels, int blocks, long stride)
    {
        var stage = new ModuleList<Module<Tensor, Tensor>>();
        for (var i = 0; i < blocks; i++)
        {
            stage.Add(i == 0
                ? new PreActBlock(inChannels, outChannels, stride)
                : new PreActBlock(outChannels, outChannels, 1));
        }

        return stage;
    }

    /// <summary>Runs <paramref name="x"/> through the blocks of a stage in order.</summary>
    public static Tensor Run(ModuleList<Module<Tensor, Tensor>> stage, Tensor x)
    {
        foreach (var block in stage)
        {
            x = block.call(x);
        }

        return x;
    }

    public override Tensor forward(Tensor input)
    {
        var activated = functional.relu(bn1.call(input));
        var residual = shortcut is null ? input : shortcut.call(activated);

        var hidden = conv1.call(activated);
        hidden = conv2.call(functional.relu(bn2.call(hidden)));

        return hidden.add(residual);
    }
}
