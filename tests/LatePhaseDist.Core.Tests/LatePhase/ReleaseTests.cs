using LatePhaseDist.Core.LatePhase;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

public sealed class ReleaseTests
{
    [Fact]
    public void Release_WithoutNoise_MembersAreExactCopiesOfTheTiedOne()
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        var network = new ConvBnNet();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        foreach ((_, LatePhaseLayer layer) in model.Layers)
        {
            LatePhaseTestData.RandomiseMember(layer, 0);
        }

        network.train();
        network.forward(randn(4, 3, 5, 5));

        model.Release(0, seed: 5);

        Assert.True(model.IsReleased);
        Dictionary<string, Tensor> tied = model.MemberState(0);
        Assert.Contains(tied.Keys, key => key.EndsWith("running_var", StringComparison.Ordinal));
        Assert.Equal(1, tied["bn1.num_batches_tracked"].item<long>());
        for (int k = 1; k < 3; k++)
        {
            Dictionary<string, Tensor> member = model.MemberState(k);
            Assert.Equal(tied.Keys, member.Keys);
            Assert.All(tied, e => Assert.True(LatePhaseTestData.Same(e.Value, member[e.Key]), e.Key));
        }
    }

    [Fact]
    public void Release_WithNoise_EachMemberDiffersByScaleTimesRms()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        const double sigma0 = 0.05;
        var network = new MlpBnNet(inputs: 4, hidden: 256, classes: 400);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        var head = (LatePhaseLinear)model.Layers.Single(l => l.Path == "fc").Layer;
        Tensor tiedWeight = ((Linear)head.Member(0)).weight!.detach().clone();
        double rms = tiedWeight.square().mean().sqrt().item<float>();
        Tensor tiedBatchNormBias = ((NormBase)model.Layers[0].Layer.Member(0)).bias!.detach().clone();

        model.Release(sigma0, seed: 9);

        var noises = Enumerable.Range(0, 3)
            .Select(k => ((Linear)head.Member(k)).weight!.detach() - tiedWeight)
            .ToList();
        foreach (Tensor noise in noises)
        {
            Assert.Equal(102_400, noise.numel());
            Assert.InRange(noise.std().item<float>() / (sigma0 * rms), 0.98, 1.02);
            Assert.InRange(noise.mean().item<float>() / (sigma0 * rms), -0.02, 0.02);
        }

        Assert.True(LatePhaseTestData.MaxAbsDiff(noises[0], noises[1]) > sigma0 * rms);
        Assert.True(LatePhaseTestData.MaxAbsDiff(noises[1], noises[2]) > sigma0 * rms);
        // β starts at zero, so its RMS and therefore its noise are zero.
        Assert.All(Enumerable.Range(0, 3), k => Assert.True(
            LatePhaseTestData.Same(tiedBatchNormBias, ((NormBase)model.Layers[0].Layer.Member(k)).bias!.detach())));
    }

    [Fact]
    public void Release_SameSeed_GivesSameNoise()
    {
        using var scope = NewDisposeScope();
        LatePhaseModel first = BuildReleased(noiseSeed: 4);
        LatePhaseModel second = BuildReleased(noiseSeed: 4);
        LatePhaseModel other = BuildReleased(noiseSeed: 5);

        for (int k = 0; k < 3; k++)
        {
            Dictionary<string, Tensor> a = first.MemberState(k);
            Dictionary<string, Tensor> b = second.MemberState(k);
            Assert.All(a, e => Assert.True(LatePhaseTestData.Same(e.Value, b[e.Key]), e.Key));
        }

        Assert.True(
            LatePhaseTestData.MaxAbsDiff(first.MemberState(1)["fc.weight"], other.MemberState(1)["fc.weight"]) > 0);
    }

    [Fact]
    public void Release_Float64NetworkWithNoise_KeepsTheElementType()
    {
        using var scope = NewDisposeScope();
        manual_seed(33);
        var network = new ConvBnNet().to(float64);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 2 });

        model.Release(0.1, seed: 2);

        Assert.All(network.parameters(), p => Assert.Equal(float64, p.dtype));
        Assert.True(
            LatePhaseTestData.MaxAbsDiff(model.MemberState(0)["fc.weight"], model.MemberState(1)["fc.weight"]) > 0);
    }

    private static LatePhaseModel BuildReleased(long noiseSeed)
    {
        manual_seed(34);
        var network = new ConvBnNet();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0.1, noiseSeed);
        return model;
    }
}
