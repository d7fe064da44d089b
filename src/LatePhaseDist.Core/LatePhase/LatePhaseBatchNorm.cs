using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>
/// BatchNorm (1d or 2d) with K members, each a complete BatchNorm module with its own γ, β and running statistics.
/// </summary>
public sealed class LatePhaseBatchNorm : LatePhaseLayer
{
    private readonly int dimensions;

    private LatePhaseBatchNorm(IReadOnlyList<nn.Module<Tensor, Tensor>> members, int dimensions)
        : base(nameof(LatePhaseBatchNorm), members)
    {
        this.dimensions = dimensions;
    }

    /// <summary>
    /// Replicates an existing BatchNorm1d or BatchNorm2d into K identical members of the same element type and
    /// device. The layer must be affine and track running statistics: γ, β and the statistics are what a member owns.
    /// </summary>
    public static LatePhaseBatchNorm FromBatchNorm(NormBase source, int memberCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memberCount, 1);
        int dimensions = source switch
        {
            BatchNorm1d => 1,
            BatchNorm2d => 2,
            _ => throw new ArgumentException(
                $"{source.GetType().Name} is not BatchNorm1d or BatchNorm2d.", nameof(source)),
        };
        if (!source.affine || !source.track_running_stats)
        {
            throw new ArgumentException(
                "A late-phase BatchNorm needs affine: true and track_running_stats: true in the layer it replaces.",
                nameof(source));
        }

        var members = new List<nn.Module<Tensor, Tensor>>(memberCount);
        for (int k = 0; k < memberCount; k++)
        {
            NormBase member = Create(dimensions, source);
            CopyState(source, member);
            members.Add(member);
        }

        var layer = new LatePhaseBatchNorm(members, dimensions);
        layer.train(source.training);
        return layer;
    }

    /// <summary>Member k as a BatchNorm module.</summary>
    public NormBase BatchNormMember(int k) => (NormBase)Member(k);

    /// <inheritdoc/>
    public override nn.Module<Tensor, Tensor> Merge(MergePolicy policy)
    {
        NormBase first = BatchNormMember(0);
        NormBase merged = Create(dimensions, first);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var members = MergedMembers().Cast<NormBase>().ToList();
        Tensor gamma = stack(members.Select(m => m.weight!.to(float64)).ToArray());
        Tensor beta = stack(members.Select(m => m.bias!.to(float64)).ToArray());
        if (policy == MergePolicy.Fold)
        {
            Tensor mean = stack(members.Select(m => m.running_mean!.to(float64)).ToArray());
            Tensor variance = stack(members.Select(m => m.running_var!.to(float64)).ToArray());
            Tensor slope = gamma / (variance + first.eps).sqrt();
            Tensor offset = beta - slope * mean;
            merged.weight!.copy_(slope.mean([0L]));
            merged.bias!.copy_(offset.mean([0L]));
            merged.running_mean!.zero_();
            merged.running_var!.fill_(1.0 - first.eps);
            merged.num_batches_tracked!.copy_(first.num_batches_tracked!);
        }
        else
        {
            merged.weight!.copy_(gamma.mean([0L]));
            merged.bias!.copy_(beta.mean([0L]));
            merged.reset_running_stats();
        }

        merged.train(training);
        return merged;
    }

    // Built in the default type, then converted: a BatchNorm constructed with a dtype gets a num_batches_tracked of
    // that dtype, while PyTorch (and Module.to) keep it int64.
    private static NormBase Create(int dimensions, NormBase like)
    {
        NormBase layer = dimensions == 1
            ? nn.BatchNorm1d(like.num_features, like.eps)
            : nn.BatchNorm2d(like.num_features, like.eps);
        layer.momentum = like.momentum;
        return layer.to(like.weight!.device, like.weight!.dtype);
    }

    private static void CopyState(nn.Module source, nn.Module target)
    {
        using var noGrad = no_grad();
        Dictionary<string, Tensor> from = source.state_dict();
        foreach ((string key, Tensor to) in target.state_dict())
        {
            to.copy_(from[key]);
        }
    }
}
