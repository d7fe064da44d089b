using LatePhaseDist.Core.Models;

namespace LatePhaseDist.Core.Tests.Models;

public sealed class ModelSpecTests
{
    public static TheoryData<ModelSpec, string, string> InvalidSpecs => new()
    {
        { new ModelSpec(Kind: "vgg"), "model.kind", "model.kind = \"vgg\" is not allowed: use resnet, wrn or mlp" },
        { new ModelSpec(Depth: 21), "model.depth", "model.depth = 21 is not allowed" },
        { new ModelSpec(Depth: 2), "model.depth", "model.depth = 2 is not allowed" },
        { new ModelSpec("wrn", Depth: 20), "model.depth", "model.depth = 20 is not allowed" },
        { new ModelSpec("wrn", Width: -1), "model.width", "model.width = -1 is not allowed" },
        { new ModelSpec(InputChannels: 0), "model.inputChannels", "model.inputChannels = 0 is not allowed" },
        { new ModelSpec(InputSize: -3), "model.inputSize", "model.inputSize = -3 is not allowed" },
        { new ModelSpec(Classes: 1), "model.classes", "model.classes = 1 is not allowed" },
        { new ModelSpec("mlp", Hidden: [64, 0]), "model.hidden", "model.hidden = [64, 0] is not allowed" },
        { new ModelSpec("mlp") { Hidden = null! }, "model.hidden", "model.hidden = null is not allowed" },
    };

    [Fact]
    public void Defaults_DescribeResNet20ForFashionMnist()
    {
        var spec = new ModelSpec();

        spec.Validate();

        Assert.Equal(("resnet", 1, 28, 10), (spec.Kind, spec.InputChannels, spec.InputSize, spec.Classes));
        Assert.Equal((20, 16), (spec.ResolvedDepth, spec.ResolvedWidth));
        Assert.Equal([256, 256], spec.Hidden);
        Assert.True(spec.MlpBatchNorm);
    }

    [Fact]
    public void ResolvedSizes_WideResNetWithoutDepthOrWidth_AreWrn28x10()
    {
        var spec = new ModelSpec { Kind = ModelSpec.WideResNetKind, InputChannels = 3, InputSize = 32 };

        spec.Validate();

        Assert.Equal((28, 10), (spec.ResolvedDepth, spec.ResolvedWidth));
    }

    [Fact]
    public void ResolvedSizes_ExplicitValues_AreKept()
    {
        var spec = new ModelSpec(ModelSpec.ResNetKind, Depth: 32, Width: 8);

        Assert.Equal((32, 8), (spec.ResolvedDepth, spec.ResolvedWidth));
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Validate_InvalidSetting_ThrowsNamingKeyValueAndRule(ModelSpec spec, string key, string message)
    {
        var error = Assert.Throws<OptionException>(spec.Validate);

        Assert.Equal(key, error.Key);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("resnet", 21, "depth must be 6n+2 (8, 14, 20, 26, 32, 44, 56, 110, ...).")]
    [InlineData("wrn", 20, "depth must be 6n+4 (10, 16, 22, 28, 40, ...).")]
    public void Validate_BadDepth_ListsAllowedValues(string kind, int depth, string rule)
    {
        var error = Assert.Throws<OptionException>(new ModelSpec(kind, Depth: depth).Validate);

        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MlpWithEmptyHiddenAndUnusedDepth_IsAccepted()
    {
        var spec = new ModelSpec(ModelSpec.MlpKind, Depth: 21, Hidden: []);

        spec.Validate();
    }

    [Fact]
    public void Create_InvalidSpec_IsRefusedBeforeBuilding()
    {
        var error = Assert.Throws<OptionException>(() => ModelZoo.Create(new ModelSpec("wrn", Depth: 27)));

        Assert.Equal("model.depth", error.Key);
    }

    [Fact]
    public void Equality_HiddenSizes_AreComparedByContent()
    {
        var a = new ModelSpec("mlp", Hidden: [128, 64]);
        var b = new ModelSpec("mlp", Hidden: [128, 64]);
        var c = new ModelSpec("mlp", Hidden: [128, 32]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ToString_ShowsHiddenSizes()
    {
        var text = new ModelSpec("mlp", Hidden: [128, 64]).ToString();

        Assert.Contains("Kind = mlp", text, StringComparison.Ordinal);
        Assert.Contains("Hidden = [128, 64]", text, StringComparison.Ordinal);
    }
}
