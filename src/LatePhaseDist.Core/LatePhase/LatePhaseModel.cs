using LatePhaseDist.Core.Data;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>
/// A network whose late-phase layers have been made member-aware, with the operations the trainer needs: the
/// split into shared weights θ and member weights φ_k, the active-member switch, release at T0, and the merge.
/// </summary>
public sealed class LatePhaseModel
{
    // Keeps the release noise's generators apart from the data order's, which hash the same seed.
    private const ulong ReleaseStream = 0x6d656d62UL;

    private readonly HashSet<Parameter> memberParameterSet;

    internal LatePhaseModel(
        nn.Module<Tensor, Tensor> network, IReadOnlyList<(string Path, LatePhaseLayer Layer)> layers, int memberCount)
    {
        Network = network;
        Layers = layers;
        MemberCount = layers.Count == 0 ? 1 : memberCount;
        memberParameterSet = new HashSet<Parameter>(
            layers.SelectMany(l => Enumerable.Range(0, l.Layer.MemberCount).SelectMany(l.Layer.MemberParameters)),
            ReferenceEqualityComparer.Instance);
    }

    /// <summary>The converted network; its forward uses the active member of every late-phase layer.</summary>
    public nn.Module<Tensor, Tensor> Network { get; }

    /// <summary>The late-phase layers and their module paths, in module order.</summary>
    public IReadOnlyList<(string Path, LatePhaseLayer Layer)> Layers { get; }

    /// <summary>Number of members K (1 for a network without late-phase layers).</summary>
    public int MemberCount { get; }

    /// <summary>True when the network has late-phase layers at all.</summary>
    public bool HasMembers => Layers.Count > 0;

    /// <summary>True once the members have been released from the tied copy.</summary>
    public bool IsReleased => Layers.Count > 0 && Layers[0].Layer.IsReleased;

    /// <summary>Wraps a plain network that has no late-phase layers (a baseline).</summary>
    public static LatePhaseModel Plain(nn.Module<Tensor, Tensor> network) => new(network, [], 1);

    /// <summary>Selects the member every late-phase layer uses in forward.</summary>
    public void SetActiveMember(int member)
    {
        foreach ((_, LatePhaseLayer layer) in Layers)
        {
            layer.ActiveMember = member;
        }
    }

    /// <summary>Selects what every late-phase layer outputs.</summary>
    public void SetOutput(LatePhaseOutput output)
    {
        foreach ((_, LatePhaseLayer layer) in Layers)
        {
            layer.Output = output;
        }
    }

    /// <summary>Shared weights θ: every parameter that belongs to no member, in module order.</summary>
    public IReadOnlyList<Parameter> SharedParameters() =>
        Network.parameters().Where(p => !memberParameterSet.Contains(p)).ToList();

    /// <summary>The late-phase weights φ_k of member k, in module order; member 0 is the tied copy before release.
    /// </summary>
    public IReadOnlyList<Parameter> MemberParameters(int member) =>
        Layers.SelectMany(l => l.Layer.MemberParameters(member)).ToList();

    /// <summary>
    /// Releases the members at T0: each becomes an exact copy of the tied one (running statistics included), plus
    /// Gaussian noise of std noiseScale × RMS per tensor from a generator seeded by (seed, member) when
    /// noiseScale > 0.
    /// </summary>
    public void Release(double noiseScale, long seed)
    {
        var generators = Enumerable.Range(0, MemberCount)
            .Select(k => new Generator(SplitMix64.Combine(SplitMix64.Combine((ulong)seed, ReleaseStream), (ulong)k)))
            .ToList();
        try
        {
            foreach ((_, LatePhaseLayer layer) in Layers)
            {
                layer.Release(noiseScale, generators);
            }
        }
        finally
        {
            generators.ForEach(g => g.Dispose());
        }
    }

    /// <summary>Sets the release flag of every layer without changing values (checkpoint restore).</summary>
    public void MarkReleased(bool released)
    {
        foreach ((_, LatePhaseLayer layer) in Layers)
        {
            layer.MarkReleased(released);
        }
    }

    /// <summary>State (parameters and buffers) outside the late-phase layers, keyed as in the network.</summary>
    public Dictionary<string, Tensor> SharedState()
    {
        var prefixes = Layers.Select(l => l.Path + ".").ToList();
        return Network.state_dict()
            .Where(e => !prefixes.Any(p => e.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(e => e.Key, e => e.Value);
    }

    /// <summary>State of member k in every late-phase layer, keyed "layerPath.key" (the same for every member).
    /// </summary>
    public Dictionary<string, Tensor> MemberState(int member)
    {
        var state = new Dictionary<string, Tensor>();
        foreach ((string path, LatePhaseLayer layer) in Layers)
        {
            foreach ((string key, Tensor value) in layer.Member(member).state_dict())
            {
                state[path + "." + key] = value;
            }
        }

        return state;
    }

    /// <summary>
    /// The state dictionary of the merged network: shared state as it is, and every late-phase layer replaced by its
    /// merged plain layer. Its keys are exactly those of the base architecture.
    /// </summary>
    public Dictionary<string, Tensor> MergedState(MergePolicy policy)
    {
        Dictionary<string, Tensor> state = SharedState();
        foreach ((string path, LatePhaseLayer layer) in Layers)
        {
            nn.Module<Tensor, Tensor> merged = layer.Merge(policy);
            foreach ((string key, Tensor value) in merged.state_dict())
            {
                state[path + "." + key] = value;
            }
        }

        return state;
    }

    /// <summary>
    /// Loads the merged state into <paramref name="plain"/>, a fresh instance of the base architecture (the network
    /// before conversion, any element type or device), and returns it. With <see cref="MergePolicy.Recompute"/> its
    /// BatchNorm statistics are then recomputed over <paramref name="statisticsBatches"/> (one pass of the training
    /// inputs) by <see cref="BatchNormStatistics.Recompute"/>: the equal-weight average of per-batch statistics.
    /// </summary>
    public nn.Module<Tensor, Tensor> MergeInto(
        nn.Module<Tensor, Tensor> plain,
        MergePolicy policy,
        IEnumerable<Tensor>? statisticsBatches = null)
    {
        if (plain.modules().OfType<LatePhaseLayer>().Any())
        {
            throw new ArgumentException("The target must be a plain network of the base architecture.", nameof(plain));
        }

        if (policy == MergePolicy.Recompute && statisticsBatches is null)
        {
            throw new ArgumentNullException(
                nameof(statisticsBatches), "The recompute merge needs one pass of training inputs.");
        }

        using (var scope = NewDisposeScope())
        {
            plain.load_state_dict(MergedState(policy));
        }

        if (policy == MergePolicy.Recompute)
        {
            BatchNormStatistics.Recompute(plain, statisticsBatches!);
        }

        return plain;
    }

    /// <summary>
    /// Recomputes the running statistics of every member's BatchNorm layers with one pass of the inputs per member,
    /// each member running with its own φ as the active member, as <see cref="BatchNormStatistics.Recompute"/> does
    /// for a plain network: the equal-weight average of per-batch statistics. <paramref name="inputBatches"/> is
    /// called once per pass; before release only member 0 gets one. BatchNorm layers outside the late-phase layers
    /// are recomputed in member 0's pass. Active member, output mode, momentum and train/eval flags are restored.
    /// </summary>
    public void RecomputeStatistics(Func<IEnumerable<Tensor>> inputBatches)
    {
        var saved = Layers.Select(l => (l.Layer.ActiveMember, l.Layer.Output)).ToList();
        var memberLayers = new HashSet<BatchNorm>(
            Layers.SelectMany(l => Enumerable.Range(0, l.Layer.MemberCount).Select(l.Layer.Member)).OfType<BatchNorm>(),
            ReferenceEqualityComparer.Instance);
        var outside = BatchNormStatistics.BatchNormLayers(Network).Where(l => !memberLayers.Contains(l)).ToList();
        try
        {
            SetOutput(LatePhaseOutput.Active);
            int passes = IsReleased ? MemberCount : 1;
            for (int k = 0; k < passes; k++)
            {
                SetActiveMember(k);
                var layers = Layers.Select(l => l.Layer.Member(k)).OfType<BatchNorm>()
                    .Where(l => l.track_running_stats)
                    .Concat(k == 0 ? outside : [])
                    .ToList();
                if (layers.Count > 0)
                {
                    BatchNormStatistics.RecomputeLayers(Network, inputBatches(), layers);
                }
            }
        }
        finally
        {
            for (int i = 0; i < Layers.Count; i++)
            {
                Layers[i].Layer.ActiveMember = saved[i].ActiveMember;
                Layers[i].Layer.Output = saved[i].Output;
            }
        }
    }
}
