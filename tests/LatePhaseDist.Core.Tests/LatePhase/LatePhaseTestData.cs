using LatePhaseDist.Core.LatePhase;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

/// <summary>Helpers that put values into late-phase layers and compare tensors.</summary>
internal static class LatePhaseTestData
{
    /// <summary>Gives a BatchNorm random γ, β and running statistics (variance > 0) from the default RNG.</summary>
    public static void RandomiseBatchNorm(NormBase layer)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        long c = layer.num_features;
        ScalarType type = layer.weight!.dtype;
        layer.weight!.copy_(1 + (0.5 * randn(c, type)));
        layer.bias!.copy_(0.5 * randn(c, type));
        layer.running_mean!.copy_(0.5 * randn(c, type));
        layer.running_var!.copy_(0.5 + rand(c, type));
    }

    /// <summary>Makes the members of every late-phase layer differ: BatchNorm as above, linear weights moved.</summary>
    public static void MakeMembersDiffer(LatePhaseModel model)
    {
        foreach ((_, LatePhaseLayer layer) in model.Layers)
        {
            for (int k = 0; k < layer.MemberCount; k++)
            {
                RandomiseMember(layer, k);
            }
        }
    }

    /// <summary>Changes member k of one layer as <see cref="MakeMembersDiffer"/> does.</summary>
    public static void RandomiseMember(LatePhaseLayer layer, int k)
    {
        if (layer.Member(k) is NormBase norm)
        {
            RandomiseBatchNorm(norm);
            return;
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (Parameter p in layer.MemberParameters(k))
        {
            p.add_(0.3 * randn(p.shape, p.dtype));
        }
    }

    /// <summary>The state of the base architecture as member k sees it: shared state plus member k's layers.</summary>
    public static Dictionary<string, Tensor> PlainStateOfMember(LatePhaseModel model, int member)
    {
        Dictionary<string, Tensor> state = model.SharedState();
        foreach ((string key, Tensor value) in model.MemberState(member))
        {
            state[key] = value;
        }

        return state;
    }

    /// <summary>Largest absolute elementwise difference, as a double.</summary>
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to(float64) - b.to(float64)).abs().max().item<double>();
    }

    /// <summary>True when two tensors have the same shape and the same values.</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && MaxAbsDiff(a, b) == 0;
}
