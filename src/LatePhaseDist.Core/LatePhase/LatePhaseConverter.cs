using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>
/// Turns an ordinary network into a late-phase one in place, in the spirit of converting BatchNorm to SyncBatchNorm:
/// the chosen layers are swapped for member-aware ones whose K members start as exact copies, so the function the
/// network computes does not change.
/// </summary>
public static class LatePhaseConverter
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>Converts <paramref name="network"/> and returns the late-phase view of it.</summary>
    public static LatePhaseModel Convert(nn.Module<Tensor, Tensor> network, LatePhaseOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Members, 1);
        var targets = new List<(string Path, nn.Module Module)>();
        foreach ((string path, nn.Module module) in network.named_modules())
        {
            bool isBatchNorm = module is BatchNorm1d or BatchNorm2d;
            bool isHead = module is Linear && path == options.HeadPath;
            if (module is LatePhaseLayer)
            {
                throw new ArgumentException($"The network already holds a late-phase layer at '{path}'.");
            }

            if ((options.BatchNorm && isBatchNorm) || (options.Head && isHead))
            {
                targets.Add((path, module));
            }
        }

        if (options.Head && !targets.Any(t => t.Path == options.HeadPath))
        {
            throw new ArgumentException($"The network has no Linear head at '{options.HeadPath}'.");
        }

        var layers = new List<(string Path, LatePhaseLayer Layer)>();
        foreach ((string path, nn.Module module) in targets)
        {
            LatePhaseLayer replacement = module is Linear linear
                ? LatePhaseLinear.FromLinear(linear, options.Members)
                : LatePhaseBatchNorm.FromBatchNorm((NormBase)module, options.Members);
            Replace(network, path, module, replacement);
            layers.Add((path, replacement));
        }

        return new LatePhaseModel(network, layers, options.Members);
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="original"/> sits in the tree.</summary>
    internal static void Replace(nn.Module root, string path, nn.Module original, nn.Module replacement)
    {
        int dot = path.LastIndexOf('.');
        string name = dot < 0 ? path : path[(dot + 1)..];
        nn.Module parent = dot < 0 ? root : Find(root, path[..dot]);
        FieldInfo? field = FieldsOf(parent.GetType())
            .FirstOrDefault(f => ReferenceEquals(f.GetValue(parent), original));
        if (field is null || !field.FieldType.IsAssignableFrom(replacement.GetType()))
        {
            throw new NotSupportedException(
                $"Cannot convert the layer at '{path}': its parent {parent.GetType().Name} must hold it in a field " +
                "declared as Module<Tensor, Tensor> (not a concrete layer type, and not inside Sequential).");
        }

        field.SetValue(parent, replacement);
        SubmoduleTable(parent)[name] = replacement;
    }

    private static nn.Module Find(nn.Module root, string path) =>
        root.named_modules().First(m => m.name == path).module;

    private static IEnumerable<FieldInfo> FieldsOf(Type? type)
    {
        for (; type is not null && type != typeof(nn.Module); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(InstanceFields | BindingFlags.DeclaredOnly))
            {
                if (typeof(nn.Module).IsAssignableFrom(field.FieldType) ||
                    field.FieldType.IsAssignableFrom(typeof(nn.Module)))
                {
                    yield return field;
                }
            }
        }
    }

    // TorchSharp's register_module refuses an existing name; the ordered table behind it keeps the child's position.
    private static TorchSharp.Utils.OrderedDict<string, nn.Module> SubmoduleTable(nn.Module parent)
    {
        FieldInfo table = typeof(nn.Module).GetField("_internal_submodules", InstanceFields)
            ?? throw new NotSupportedException("This TorchSharp version has no submodule table to update.");
        return (TorchSharp.Utils.OrderedDict<string, nn.Module>)table.GetValue(parent)!;
    }
}
