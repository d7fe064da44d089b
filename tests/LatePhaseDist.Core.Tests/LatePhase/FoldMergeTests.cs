using LatePhaseDist.Core.LatePhase;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

public sealed class FoldMergeTests
{
    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void MergedState_FoldOfConvNet_EqualsMemberMeanInEval(ScalarType type)
    {
        using var scope = NewDisposeScope();
        manual_seed(41);
        var network = new ConvBnNet().to(type);
        Tensor input = randn(5, 3, 6, 6, type);

        double difference = MergedMinusMemberMean(network, new ConvBnNet(), input);

        Assert.InRange(difference, 0, 1e-5);
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void MergedState_FoldOfMlp_EqualsMemberMeanInEval(ScalarType type)
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        var network = new MlpBnNet().to(type);
        Tensor input = randn(7, 8, type);

        double difference = MergedMinusMemberMean(network, new MlpBnNet(), input);

        Assert.InRange(difference, 0, 1e-5);
    }

    [Fact]
    public void MergedState_Fold_HasTheBaseArchitectureKeysAndSyntheticStatistics()
    {
        using var scope = NewDisposeScope();
        manual_seed(43);
        var network = new ConvBnNet();
        var keys = network.state_dict().Keys.ToList();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0, seed: 1);
        LatePhaseTestData.MakeMembersDiffer(model);

        Dictionary<string, Tensor> merged = model.MergedState(MergePolicy.Fold);

        Assert.Equal(keys.Order(StringComparer.Ordinal), merged.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, merged["bn1.running_mean"].abs().max().item<float>());
        Assert.Equal(1 - 1e-5, merged["bn1.running_var"].to(float64).mean().item<double>(), 6);
    }

    [Fact]
    public void MergedState_BeforeRelease_UsesOnlyTheTiedCopy()
    {
        using var scope = NewDisposeScope();
        manual_seed(44);
        var network = new ConvBnNet().to(float64);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        foreach ((_, LatePhaseLayer layer) in model.Layers)
        {
            LatePhaseTestData.RandomiseMember(layer, 0);
        }

        Tensor input = randn(4, 3, 5, 5, float64);
        network.eval();
        Tensor expected = network.forward(input);

        foreach (MergePolicy policy in new[] { MergePolicy.Fold, MergePolicy.Recompute })
        {
            var plain = new ConvBnNet().to(float64);
            plain.load_state_dict(model.MergedState(policy));
            plain.eval();
            if (policy == MergePolicy.Fold)
            {
                Assert.InRange(LatePhaseTestData.MaxAbsDiff(expected, plain.forward(input)), 0, 1e-12);
            }
            else
            {
                var tied = (NormBase)model.Layers[0].Layer.Member(0);
                var merged = plain.modules().OfType<NormBase>().First();
                Assert.True(LatePhaseTestData.Same(tied.weight!.detach(), merged.weight!.detach()));
            }
        }
    }

    private static double MergedMinusMemberMean(
        nn.Module<Tensor, Tensor> network, nn.Module<Tensor, Tensor> fresh, Tensor input)
    {
        ScalarType type = input.dtype;
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 4 });
        model.Release(0, seed: 1);
        LatePhaseTestData.MakeMembersDiffer(model);
        network.eval();
        model.SetOutput(LatePhaseOutput.MemberMean);
        Tensor expected = network.forward(input);

        nn.Module<Tensor, Tensor> merged = fresh.to(type);
        merged.load_state_dict(model.MergedState(MergePolicy.Fold));
        merged.eval();
        Tensor actual = merged.forward(input);

        // Members must differ enough that a wrong merge (e.g. averaging γ instead of the slope) would show.
        model.SetOutput(LatePhaseOutput.Active);
        Assert.True(LatePhaseTestData.MaxAbsDiff(expected, network.forward(input)) > 1e-2);
        return LatePhaseTestData.MaxAbsDiff(expected, actual);
    }
}
