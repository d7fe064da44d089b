using System.Reflection;
using Module = TorchSharp.torch.nn.Module;
using LatePhaseDist.Core.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Tests.Models;

/// <summary>Walks a module tree the way the late-phase conversion does: named_children, recursively.</summary>
internal static class ModelTree
{
    public static readonly Assembly ZooAssembly = typeof(ModelZoo).Assembly;

    /// <summary>Every module with its parent and the name under which the parent registered it.</summary>
    public static IEnumerable<(Module? Parent, string Name, Module Module)> Walk(Module root)
    {
        yield return (null, "", root);

        foreach (var (parent, module) in Descendants(root))
        {
            yield return (parent, module.Name, module.Module);
        }
    }

    public static long CountParameters(Module model) => model.parameters().Sum(p => p.numel());

    public static Tensor Parameter(Module model, string name) =>
        model.named_parameters().Single(p => p.name == name).parameter;

    public static List<T> ModulesOf<T>(Module root) where T : Module =>
        Walk(root).Select(n => n.Module).OfType<T>().ToList();

    /// <summary>Instance fields declared by the zoo's own types (TorchSharp's own layers are not ours).</summary>
    public static IEnumerable<FieldInfo> ZooFields(Type type)
    {
        for (var t = type; t is not null && t.Assembly == ZooAssembly; t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic
                         | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    public static Module<Tensor, Tensor> SmallModel(string kind, int channels, int size, int classes = 7) =>
        ModelZoo.Create(SmallSpec(kind, channels, size, classes));

    public static ModelSpec SmallSpec(string kind, int channels, int size, int classes = 7) => kind switch
    {
        "resnet" => new ModelSpec(kind, channels, size, classes, Depth: 8, Width: 4),
        "wrn" => new ModelSpec(kind, channels, size, classes, Depth: 10, Width: 2),
        "mlp" => new ModelSpec(kind, channels, size, classes, Hidden: [32, 16]),
        "mlp-nobn" => new ModelSpec("mlp", channels, size, classes, Hidden: [32, 16], MlpBatchNorm: false),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown test model"),
    };

    private static IEnumerable<(Module Parent, (string Name, Module Module) Child)> Descendants(Module parent)
    {
        foreach (var child in parent.named_children())
        {
            yield return (parent, child);

            foreach (var deeper in Descendants(child.module))
            {
                yield return deeper;
            }
        }
    }
}
