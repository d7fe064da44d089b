using LatePhaseDist.Core.LatePhase;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace LatePhaseDist.Core.Tests.LatePhase;

public sealed class RecomputeTests
{
    [Fact]
    public void Recompute_ConvNet_StatisticsAreTheCumulativeAverageOfPerBatchStatistics()
    {
        using var scope = NewDisposeScope();
        manual_seed(51);
        var network = new ConvBnNet().to(float64);
        RandomiseAll(network);
        var batches = Batches(float64, 5, 3, 4);

        int count = BatchNormStatistics.Recompute(network, batches);

        Assert.Equal(3, count);
        AssertStatisticsMatchIndependentComputation(network, batches);
    }

    [Fact]
    public void Recompute_MixedModesAndMomenta_RestoresThem()
    {
        using var scope = NewDisposeScope();
        manual_seed(52);
        var network = new ConvBnNet();
        var norms = network.modules().OfType<NormBase>().ToList();
        norms[0].momentum = 0.3;
        norms[1].momentum = null;
        network.eval();
        norms[1].train();

        BatchNormStatistics.Recompute(network, Batches(float32, 4, 4));

        Assert.Equal(0.3, norms[0].momentum);
        Assert.Null(norms[1].momentum);
        Assert.False(network.training);
        Assert.False(norms[0].training);
        Assert.True(norms[1].training);
        Assert.All(network.modules().Where(m => m != norms[1]), m => Assert.False(m.training));
        Assert.Equal(2, norms[0].num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Recompute_ReleasedLatePhaseNetwork_IsRefused()
    {
        using var scope = NewDisposeScope();
        manual_seed(53);
        var network = new ConvBnNet();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 2 });
        model.Release(0, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => BatchNormStatistics.Recompute(network, Batches(float32, 4)));

        Assert.Contains("RecomputeStatistics", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MergeInto_Recompute_AveragesAffineAndRecomputesStatistics()
    {
        using var scope = NewDisposeScope();
        manual_seed(54);
        var network = new ConvBnNet().to(float64);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0, seed: 1);
        LatePhaseTestData.MakeMembersDiffer(model);
        var batches = Batches(float64, 6, 2, 5);
        var gammas = Enumerable.Range(0, 3)
            .Select(k => ((NormBase)model.Layers[1].Layer.Member(k)).weight!.detach())
            .ToArray();

        var merged = model.MergeInto(new ConvBnNet().to(float64), MergePolicy.Recompute, batches);

        NormBase bn2 = merged.modules().OfType<NormBase>().ElementAt(1);
        Assert.InRange(LatePhaseTestData.MaxAbsDiff(stack(gammas).mean([0L]), bn2.weight!), 0, 1e-12);
        Assert.InRange(
            LatePhaseTestData.MaxAbsDiff(
                stack(Enumerable.Range(0, 3).Select(k => model.MemberState(k)["fc.weight"]).ToArray()).mean([0L]),
                merged.state_dict()["fc.weight"]),
            0,
            1e-12);
        AssertStatisticsMatchIndependentComputation(merged, batches);
    }

    [Fact]
    public void MergeInto_RecomputeWithoutBatches_IsRefused()
    {
        using var scope = NewDisposeScope();
        manual_seed(55);
        LatePhaseModel model = LatePhaseConverter.Convert(new ConvBnNet(), new LatePhaseOptions { Members = 2 });

        Assert.Throws<ArgumentNullException>(() => model.MergeInto(new ConvBnNet(), MergePolicy.Recompute));
    }

    [Fact]
    public void RecomputeStatistics_ReleasedMembers_EachMemberGetsItsOwnStatistics()
    {
        using var scope = NewDisposeScope();
        manual_seed(56);
        var network = new ConvBnNet().to(float64);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0, seed: 1);
        LatePhaseTestData.MakeMembersDiffer(model);
        model.SetActiveMember(1);
        model.SetOutput(LatePhaseOutput.MemberMean);
        network.eval();
        var batches = Batches(float64, 4, 3);
        int passes = 0;

        model.RecomputeStatistics(() =>
        {
            passes++;
            return batches;
        });

        Assert.Equal(3, passes);
        Assert.Equal(1, model.Layers[0].Layer.ActiveMember);
        Assert.Equal(LatePhaseOutput.MemberMean, model.Layers[0].Layer.Output);
        Assert.False(network.training);
        for (int k = 0; k < 3; k++)
        {
            var plain = new ConvBnNet().to(float64);
            plain.load_state_dict(LatePhaseTestData.PlainStateOfMember(model, k));
            AssertStatisticsMatchIndependentComputation(plain, batches);
        }
    }

    internal static List<Tensor> Batches(ScalarType type, params int[] sizes) =>
        sizes.Select(n => (randn(n, 3, 4, 4, type) * 2) + 0.5).ToList();

    private static void RandomiseAll(nn.Module network)
    {
        foreach (NormBase norm in network.modules().OfType<NormBase>())
        {
            LatePhaseTestData.RandomiseBatchNorm(norm);
            norm.momentum = 0.2;
        }
    }

    /// <summary>
    /// Recomputes, from the batches alone, each ConvBnNet BatchNorm's mean of per-batch means and of unbiased per-batch
    /// variances, running the layers functionally with batch statistics, and compares with the network's buffers.
    /// </summary>
    private static void AssertStatisticsMatchIndependentComputation(
        nn.Module<Tensor, Tensor> network, List<Tensor> batches)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Dictionary<string, Tensor> s = network.state_dict();
        var means = new List<Tensor>[] { [], [] };
        var variances = new List<Tensor>[] { [], [] };
        foreach (Tensor batch in batches)
        {
            Tensor h1 = F.conv2d(batch, s["conv1.weight"], s["conv1.bias"], padding: [1, 1]);
            means[0].Add(h1.mean([0L, 2L, 3L]));
            variances[0].Add(h1.var([0L, 2L, 3L], unbiased: true));
            Tensor a1 = F.relu(F.batch_norm(h1, null, null, s["bn1.weight"], s["bn1.bias"], training: true));
            Tensor h2 = F.conv2d(a1, s["conv2.weight"], s["conv2.bias"], padding: [1, 1]);
            means[1].Add(h2.mean([0L, 2L, 3L]));
            variances[1].Add(h2.var([0L, 2L, 3L], unbiased: true));
        }

        for (int layer = 0; layer < 2; layer++)
        {
            string prefix = $"bn{layer + 1}.";
            Assert.InRange(
                LatePhaseTestData.MaxAbsDiff(stack(means[layer]).mean([0L]), s[prefix + "running_mean"]), 0, 1e-10);
            Assert.InRange(
                LatePhaseTestData.MaxAbsDiff(stack(variances[layer]).mean([0L]), s[prefix + "running_var"]), 0, 1e-10);
            Assert.Equal(batches.Count, s[prefix + "num_batches_tracked"].item<long>());
        }
    }
}
