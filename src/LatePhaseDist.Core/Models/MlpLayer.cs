using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>One hidden MLP layer: Linear → BatchNorm1d → ReLU, or Linear → ReLU without BatchNorm.</summary>
internal sealed class MlpLayer : Module<Tensor, Tensor>
{
    // Declared as Module<Tensor, Tensor>: the late-phase conversion assigns member-aware layers to these fields.
    private readonly Module<Tensor, Tensor> linear;
    private readonly Module<Tensor, Tensor>? bn;

    public MlpLayer(long inFeatures, long outFeatures, bool batchNorm)
        : base(nameof(MlpLayer))
    {
        // The BatchNorm's shift makes a bias redundant.
        linear = Layers.Linear(inFeatures, outFeatures, bias: !batchNorm);
        bn = batchNorm ? Layers.BatchNorm1d(outFeatures) : null;

        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var x = linear.call(input);
        if (bn is not null)
        {
            x = bn.call(x);
        }

        return functional.relu(x);
    }
}
