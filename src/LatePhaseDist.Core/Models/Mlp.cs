using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>
/// Multi-layer perceptron: flatten → hidden layers (Linear → BatchNorm1d → ReLU, or Linear → ReLU) →
/// <c>fc</c>. Linear weights are Kaiming-normal (fan_in); biases are zero, and absent before a BatchNorm.
/// </summary>
/// <remarks>
/// State-dict keys: <c>hidden.0.linear</c>, <c>hidden.0.bn</c>, ..., <c>fc</c>. In training mode a BatchNorm1d
/// needs more than one sample per batch, as in PyTorch.
/// </remarks>
public sealed class Mlp : Module<Tensor, Tensor>
{
    // Declared as Module<Tensor, Tensor>: the late-phase conversion assigns a member-aware head to fc.
    private readonly ModuleList<Module<Tensor, Tensor>> hidden;
    private readonly Module<Tensor, Tensor> fc;

    /// <summary>Builds the network with fresh weights drawn from torch's default generator.</summary>
    /// <param name="inputFeatures">Features of a flattened input, e.g. 1×28×28 = 784.</param>
    /// <param name="hiddenSizes">Sizes of the hidden layers, input side first; may be empty.</param>
    /// <param name="classes">Number of output classes.</param>
    /// <param name="batchNorm">Whether each hidden layer has a BatchNorm1d before its ReLU; default true.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Mlp(int inputFeatures, IReadOnlyList<int> hiddenSizes, int classes, bool batchNorm = true)
        : base(nameof(Mlp))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);

        hidden = new ModuleList<Module<Tensor, Tensor>>();
        long features = inputFeatures;
        foreach (var size in hiddenSizes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(hiddenSizes));
            hidden.Add(new MlpLayer(features, size, batchNorm));
            features = size;
        }

        fc = Layers.Linear(features, classes);

        RegisterComponents();
    }

    /// <summary>Maps inputs [N, ...] (flattened from dimension 1) to logits [N, classes].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();

        var x = input.flatten(1);
        foreach (var layer in hidden)
        {
            x = layer.call(x);
        }

        return fc.call(x).MoveToOuterDisposeScope();
    }
}
