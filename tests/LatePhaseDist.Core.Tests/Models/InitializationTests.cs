using LatePhaseDist.Core.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Models;

[Collection(DefaultGeneratorCollection.Name)]
public sealed class InitializationTests
{
    [Fact]
    public void Convolutions_HaveNoBiasAndKaimingFanOutWeights()
    {
        using var model = new PreActResNet(inputChannels: 3, classes: 10);
        var convs = ModelTree.Walk(model).Where(n => n.Module is Conv2d).ToList();

        // layer3.0.conv1 maps 32 → 64 channels with 3×3 kernels: fan_out = 64·9 = 576, so the std is
        // √(2/576) ≈ 0.0589 (fan_in would give √(2/288) ≈ 0.0833). 18,432 draws pin it to about 0.5%.
        var weight = ModelTree.Parameter(model, "layer3.0.conv1.weight");

        Assert.Equal(1 + (9 * 2) + 2, convs.Count); // stem, two per block, two shortcuts
        Assert.All(convs, n => Assert.Null(((Conv2d)n.Module).bias));
        Assert.Equal(Math.Sqrt(2.0 / 576), weight.std().item<float>(), 0.03 * Math.Sqrt(2.0 / 576));
        Assert.Equal(0, weight.mean().item<float>(), 0.003);
    }

    [Fact]
    public void BatchNormsAndHead_StartAtOneZeroAndZeroBias()
    {
        using var model = new WideResNet(inputChannels: 1, classes: 10, depth: 10, widenFactor: 2);
        var batchNorms = ModelTree.ModulesOf<BatchNorm2d>(model);

        Assert.All(batchNorms, bn => Assert.True(bn.weight.eq(1).all().item<bool>()));
        Assert.All(batchNorms, bn => Assert.True(bn.bias!.eq(0).all().item<bool>()));
        Assert.True(ModelTree.Parameter(model, "fc.bias").eq(0).all().item<bool>());
    }

    [Fact]
    public void Linears_AreKaimingFanIn()
    {
        using var model = new Mlp(inputFeatures: 784, hiddenSizes: [512], classes: 10);

        // Hidden: fan_in 784 → std √(2/784) ≈ 0.0505 over 401,408 draws; head: fan_in 512 → √(2/512) = 0.0625
        // over 5,120 draws (about 1% sampling error).
        var hidden = ModelTree.Parameter(model, "hidden.0.linear.weight");
        var head = ModelTree.Parameter(model, "fc.weight");

        Assert.Equal(Math.Sqrt(2.0 / 784), hidden.std().item<float>(), 0.02 * Math.Sqrt(2.0 / 784));
        Assert.Equal(Math.Sqrt(2.0 / 512), head.std().item<float>(), 0.05 * Math.Sqrt(2.0 / 512));
        Assert.DoesNotContain(model.named_parameters(), p => p.name == "hidden.0.linear.bias");
    }

    [Theory]
    [InlineData("resnet")]
    [InlineData("wrn")]
    [InlineData("mlp")]
    public void Create_SameSeed_GivesIdenticalWeightsAndNextDrawDiffers(string kind)
    {
        manual_seed(1234);
        using var first = ModelTree.SmallModel(kind, channels: 1, size: 28);
        using var unseeded = ModelTree.SmallModel(kind, channels: 1, size: 28);
        manual_seed(1234);
        using var second = ModelTree.SmallModel(kind, channels: 1, size: 28);

        var a = first.state_dict();
        var b = second.state_dict();
        var c = unseeded.state_dict();

        Assert.All(a, kv => Assert.True(kv.Value.equal(b[kv.Key]).all().item<bool>(), kv.Key));
        Assert.False(a["fc.weight"].equal(c["fc.weight"]).all().item<bool>());
    }
}
