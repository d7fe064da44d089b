using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Models;

public sealed class BatchNormModeTests
{
    [Theory]
    [InlineData("resnet")]
    [InlineData("wrn")]
    [InlineData("mlp")]
    public void TrainMode_Forward_UpdatesEveryRunningStatistic(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 1, size: 28);
        using var scope = NewDisposeScope();
        var batchNorms = ModelTree.ModulesOf<BatchNorm>(model);
        var means = batchNorms.Select(bn => bn.running_mean!.clone()).ToList();
        var variances = batchNorms.Select(bn => bn.running_var!.clone()).ToList();

        model.train();
        model.call(randn(8, 1, 28, 28) * 3 + 1);

        Assert.NotEmpty(batchNorms);
        for (var i = 0; i < batchNorms.Count; i++)
        {
            Assert.False(batchNorms[i].running_mean!.equal(means[i]).all().item<bool>());
            Assert.False(batchNorms[i].running_var!.equal(variances[i]).all().item<bool>());
            Assert.Equal(1L, batchNorms[i].num_batches_tracked!.item<long>());
        }
    }

    [Theory]
    [InlineData("resnet")]
    [InlineData("wrn")]
    [InlineData("mlp")]
    public void EvalMode_Forward_LeavesRunningStatisticsAndTreatsSamplesAlone(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 1, size: 28);
        using var scope = NewDisposeScope();
        var batchNorms = ModelTree.ModulesOf<BatchNorm>(model);
        var stateBefore = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var input = randn(4, 1, 28, 28);

        model.eval();
        var batch = model.call(input);
        var first = model.call(input[..1]);

        Assert.NotEmpty(batchNorms);
        Assert.All(batchNorms, bn => Assert.Equal(0L, bn.num_batches_tracked!.item<long>()));
        foreach (var (key, value) in model.state_dict())
        {
            Assert.True(value.equal(stateBefore[key]).all().item<bool>(), $"{key} changed in eval mode");
        }

        Assert.True(allclose(batch[..1], first, rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void TrainMode_Output_DependsOnTheRestOfTheBatch()
    {
        using var model = ModelTree.SmallModel("resnet", channels: 1, size: 28);
        using var scope = NewDisposeScope();
        var input = randn(4, 1, 28, 28);

        model.train();
        var batch = model.call(input);
        var firstTwo = model.call(input[..2]);

        Assert.False(allclose(batch[..2], firstTwo, rtol: 1e-3, atol: 1e-4));
    }
}
