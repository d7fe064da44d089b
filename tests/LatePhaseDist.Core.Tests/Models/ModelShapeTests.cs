using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Models;

public sealed class ModelShapeTests
{
    [Theory]
    [InlineData("resnet", 1, 28)]
    [InlineData("resnet", 3, 32)]
    [InlineData("wrn", 1, 28)]
    [InlineData("wrn", 3, 32)]
    [InlineData("mlp", 1, 28)]
    [InlineData("mlp", 3, 32)]
    [InlineData("mlp-nobn", 1, 28)]
    [InlineData("mlp-nobn", 3, 32)]
    public void Forward_SmallModel_GivesOneLogitPerClassInTrainAndEval(string kind, int channels, int size)
    {
        using var model = ModelTree.SmallModel(kind, channels, size, classes: 7);
        using var scope = NewDisposeScope();
        var input = randn(3, channels, size, size);

        var trainLogits = model.call(input);
        model.eval();
        var evalLogits = model.call(input);

        Assert.Equal([3L, 7L], trainLogits.shape);
        Assert.Equal([3L, 7L], evalLogits.shape);
        Assert.True(isfinite(evalLogits).all().item<bool>());
    }

    [Theory]
    [InlineData("resnet")]
    [InlineData("wrn")]
    [InlineData("mlp")]
    [InlineData("mlp-nobn")]
    public void Backward_SmallModel_ReachesEveryParameter(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 1, size: 28);
        using var scope = NewDisposeScope();
        var input = randn(4, 1, 28, 28);
        var target = tensor(new long[] { 0, 1, 2, 3 });

        var loss = nn.functional.cross_entropy(model.call(input), target);
        loss.backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{name} got no gradient");
            Assert.True(grad.abs().sum().item<float>() > 0, $"{name} got a zero gradient");
        }
    }

    [Fact]
    public void Forward_Mlp_AcceptsFlatInput()
    {
        using var model = ModelTree.SmallModel("mlp", channels: 1, size: 28);
        using var scope = NewDisposeScope();

        var logits = model.call(randn(5, 784));

        Assert.Equal([5L, 7L], logits.shape);
    }
}
