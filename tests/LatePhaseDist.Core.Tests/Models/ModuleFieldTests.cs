using TorchSharp.Modules;
using static TorchSharp.torch;
using Module = TorchSharp.torch.nn.Module;

namespace LatePhaseDist.Core.Tests.Models;

/// <summary>
/// The late-phase conversion finds BatchNorm layers and the head through instance fields and assigns
/// replacements to them; these tests hold the zoo to the shape that makes that work.
/// </summary>
public sealed class ModuleFieldTests
{
    private static readonly Type[] ConcreteLayerTypes =
        [typeof(BatchNorm), typeof(BatchNorm1d), typeof(BatchNorm2d), typeof(Linear), typeof(Sequential)];

    public static TheoryData<string> Kinds => ["resnet", "wrn", "mlp", "mlp-nobn"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Fields_AnywhereInTree_AreNotDeclaredAsConcreteLayerTypes(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 3, size: 32);

        var offending = ModelTree.Walk(model)
            .SelectMany(node => ModelTree.ZooFields(node.Module.GetType()))
            .Where(field => ConcreteLayerTypes.Any(t => t.IsAssignableFrom(field.FieldType)))
            .Select(field => $"{field.DeclaringType!.Name}.{field.Name}: {field.FieldType.Name}")
            .ToList();

        Assert.Empty(offending);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void BatchNormsAndLinears_AreHeldInModuleFieldsNamedAsRegistered(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 3, size: 32);
        var layers = ModelTree.Walk(model).Where(n => n.Module is BatchNorm or Linear).ToList();

        Assert.NotEmpty(layers);
        foreach (var (parent, name, module) in layers)
        {
            Assert.NotNull(parent);
            var field = ModelTree.ZooFields(parent.GetType()).SingleOrDefault(f => f.Name == name);

            Assert.True(field is not null, $"{parent.GetType().Name} has no field {name}");
            Assert.Equal(typeof(nn.Module<Tensor, Tensor>), field.FieldType);
            Assert.Same(module, field.GetValue(parent));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Root_HasFcFieldHoldingTheClassifier(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 3, size: 32, classes: 7);

        var field = ModelTree.ZooFields(model.GetType()).Single(f => f.Name == "fc");
        var fc = Assert.IsType<Linear>(field.GetValue(model));

        Assert.Equal(typeof(nn.Module<Tensor, Tensor>), field.FieldType);
        Assert.Equal(7, fc.out_features);
        Assert.Same(fc, model.named_children().Last().module);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Forward_AfterReflectionSwap_CallsEveryReplacementOnceAndKeepsOutput(string kind)
    {
        using var model = ModelTree.SmallModel(kind, channels: 3, size: 32);
        model.eval();
        using var scope = NewDisposeScope();
        var input = randn(2, 3, 32, 32);
        var before = model.call(input);

        var wrappers = SwapLayersForCountingWrappers(model);
        var after = model.call(input);

        Assert.NotEmpty(wrappers);
        Assert.All(wrappers, w => Assert.Equal(1, w.Calls));
        Assert.Equal(0, (after - before).abs().max().item<float>());
    }

    // Does what the conversion call does: assign to the field, then re-register under the same name.
    private static List<CountingWrapper> SwapLayersForCountingWrappers(Module root)
    {
        var wrappers = new List<CountingWrapper>();
        var targets = ModelTree.Walk(root).Where(n => n.Module is BatchNorm or Linear).ToList();

        foreach (var (parent, name, module) in targets)
        {
            var field = ModelTree.ZooFields(parent!.GetType()).Single(f => f.Name == name);
            var wrapper = new CountingWrapper((nn.Module<Tensor, Tensor>)module);

            field.SetValue(parent, wrapper);
            parent.register_module(name, null!);
            parent.register_module(name, wrapper);
            wrappers.Add(wrapper);
        }

        return wrappers;
    }

    private sealed class CountingWrapper : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public CountingWrapper(nn.Module<Tensor, Tensor> inner)
            : base(nameof(CountingWrapper))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public int Calls { get; private set; }

        public override Tensor forward(Tensor input)
        {
            Calls++;
            return inner.call(input);
        }
    }
}
