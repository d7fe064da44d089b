using LatePhaseDist.Core.Models;

namespace LatePhaseDist.Core.Tests.Models;

public sealed class ParameterNameTests
{
    private static readonly string[] ResNet8Keys =
    [
        "conv1.weight",
        .. BlockKeys("layer1.0", shortcut: false),
        .. BlockKeys("layer2.0", shortcut: true),
        .. BlockKeys("layer3.0", shortcut: true),
        "bn.weight", "bn.bias",
        "fc.weight", "fc.bias",
    ];

    [Fact]
    public void NamedParameters_ResNet8_ArePyTorchStyleInForwardOrder()
    {
        using var model = new PreActResNet(inputChannels: 3, classes: 10, depth: 8, width: 4);

        var keys = model.named_parameters().Select(p => p.name).ToArray();

        Assert.Equal(ResNet8Keys, keys);
    }

    [Theory]
    [InlineData("resnet")]
    [InlineData("wrn")]
    [InlineData("mlp")]
    [InlineData("mlp-nobn")]
    public void StateDictKeys_TwoBuilds_AreUniqueAndIdentical(string kind)
    {
        using var first = ModelTree.SmallModel(kind, channels: 1, size: 28);
        using var second = ModelTree.SmallModel(kind, channels: 1, size: 28);

        var firstKeys = first.state_dict().Keys.ToArray();
        var secondKeys = second.state_dict().Keys.ToArray();
        var parameterKeys = first.named_parameters().Select(p => p.name).ToArray();

        Assert.Equal(firstKeys, secondKeys);
        Assert.Equal(parameterKeys.Length, parameterKeys.Distinct().Count());
        Assert.Equal(firstKeys.Length, firstKeys.Distinct().Count());
        Assert.Contains("fc.weight", parameterKeys);
        Assert.DoesNotContain(parameterKeys, k => k.Contains("conv", StringComparison.Ordinal) && k.EndsWith(".bias"));
    }

    [Fact]
    public void StateDict_ResNet_HoldsBatchNormBuffers()
    {
        using var model = new PreActResNet(inputChannels: 1, classes: 10, depth: 8, width: 4);

        var keys = model.state_dict().Keys;

        Assert.Contains("layer1.0.bn1.running_mean", keys);
        Assert.Contains("layer1.0.bn1.running_var", keys);
        Assert.Contains("layer1.0.bn1.num_batches_tracked", keys);
        Assert.Contains("bn.running_mean", keys);
    }

    [Theory]
    [InlineData(true, new[] { "hidden.0.linear.weight", "hidden.0.bn.weight", "hidden.0.bn.bias" })]
    [InlineData(false, new[] { "hidden.0.linear.weight", "hidden.0.linear.bias" })]
    public void NamedParameters_Mlp_NameLinearAndBatchNormPerLayer(bool batchNorm, string[] layerKeys)
    {
        using var model = new Mlp(inputFeatures: 784, hiddenSizes: [32], classes: 10, batchNorm);

        var keys = model.named_parameters().Select(p => p.name).ToArray();

        Assert.Equal([.. layerKeys, "fc.weight", "fc.bias"], keys);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void NamedParameters_WideResNet_HaveFirstShortcutOnlyWhenWidened(int widenFactor, bool shortcut)
    {
        using var model = new WideResNet(inputChannels: 3, classes: 10, depth: 10, widenFactor);

        var keys = model.named_parameters().Select(p => p.name).ToList();

        Assert.Equal(shortcut, keys.Contains("layer1.0.shortcut.weight"));
        Assert.Contains("layer2.0.shortcut.weight", keys);
        Assert.Contains("layer3.0.shortcut.weight", keys);
    }

    private static string[] BlockKeys(string prefix, bool shortcut)
    {
        string[] keys =
        [
            $"{prefix}.bn1.weight", $"{prefix}.bn1.bias", $"{prefix}.conv1.weight",
            $"{prefix}.bn2.weight", $"{prefix}.bn2.bias", $"{prefix}.conv2.weight",
        ];
        return shortcut ? [.. keys, $"{prefix}.shortcut.weight"] : keys;
    }
}
