using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>A linear layer (typically the classifier head) with K members, each with its own weight and bias.</summary>
public sealed class LatePhaseLinear : LatePhaseLayer
{
    private LatePhaseLinear(IReadOnlyList<nn.Module<Tensor, Tensor>> members)
        : base(nameof(LatePhaseLinear), members)
    {
    }

    /// <summary>Replicates a Linear layer into K identical members of the same element type and device.</summary>
    public static LatePhaseLinear FromLinear(Linear source, int memberCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memberCount, 1);
        var members = new List<nn.Module<Tensor, Tensor>>(memberCount);
        for (int k = 0; k < memberCount; k++)
        {
            members.Add(CopyOf(source));
        }

        var layer = new LatePhaseLinear(members);
        layer.train(source.training);
        return layer;
    }

    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Merge(MergePolicy policy)
    {
        var members = MergedMembers().Cast<Linear>().ToList();
        Linear merged = CopyOf(members[0]);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        merged.weight!.copy_(stack(members.Select(m => m.weight!.to(float64)).ToArray()).mean([0L]));
        if (merged.bias is not null)
        {
            merged.bias.copy_(stack(members.Select(m => m.bias!.to(float64)).ToArray()).mean([0L]));
        }

        merged.train(training);
        return merged;
    }

    private static Linear CopyOf(Linear source)
    {
        Linear copy = nn.Linear(source.in_features, source.out_features, hasBias: source.bias is not null)
            .to(source.weight!.device, source.weight!.dtype);
        using var noGrad = no_grad();
        copy.weight!.copy_(source.weight!);
        copy.bias?.copy_(source.bias!);
        copy.train(source.training);
        return copy;
    }
}
