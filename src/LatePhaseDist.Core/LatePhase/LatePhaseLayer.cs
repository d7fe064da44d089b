using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>What a late-phase layer computes in its forward pass.</summary>
public enum LatePhaseOutput
{
    /// <summary>The active member's output (the tied copy, member 0, before release).</summary>
    Active,

    /// <summary>The mean of all members' outputs; the reference the fold merge must equal in eval mode.</summary>
    MemberMean,
}

/// <summary>
/// A layer replicated into K members that each own separate parameters and buffers. Before release member 0 is
/// the one tied copy and is the only one used; at release every member becomes a copy of it.
/// </summary>
public abstract class LatePhaseLayer : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> members;
    private int activeMember;

    /// <summary>Creates the layer from K already-built members of identical shape.</summary>
    protected LatePhaseLayer(string name, IReadOnlyList<nn.Module<Tensor, Tensor>> members)
        : base(name)
    {
        if (members.Count < 1)
        {
            throw new ArgumentException("A late-phase layer needs at least one member.", nameof(members));
        }

        this.members = new ModuleList<nn.Module<Tensor, Tensor>>(members.ToArray());
        RegisterComponents();
    }

    /// <summary>Number of members K.</summary>
    public int MemberCount => members.Count;

    /// <summary>True once the tied copy has been replicated into the K members (at T0).</summary>
    public bool IsReleased { get; private set; }

    /// <summary>What forward computes; <see cref="LatePhaseOutput.Active"/> by default.</summary>
    public LatePhaseOutput Output { get; set; } = LatePhaseOutput.Active;

    /// <summary>The member used by forward after release (0..K-1).</summary>
    public int ActiveMember
    {
        get => activeMember;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, MemberCount);
            activeMember = value;
        }
    }

    /// <summary>The member module k.</summary>
    public nn.Module<Tensor, Tensor> Member(int k) => members[k];

    /// <summary>The parameters of member k; they belong to no other member.</summary>
    public IEnumerable<Parameter> MemberParameters(int k) => members[k].parameters();

    /// <summary>
    /// The members a merge averages: all K after release, only the tied copy (member 0) before, since until then
    /// forward uses member 0 alone and the others still hold the values they had at conversion.
    /// </summary>
    protected IReadOnlyList<nn.Module<Tensor, Tensor>> MergedMembers() =>
        IsReleased ? members.ToList() : [members[0]];

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (Output == LatePhaseOutput.Active || !IsReleased)
        {
            return members[IsReleased ? activeMember : 0].forward(input);
        }

        using var scope = NewDisposeScope();
        Tensor sum = members[0].forward(input);
        for (int k = 1; k < members.Count; k++)
        {
            sum = sum + members[k].forward(input);
        }

        return (sum / members.Count).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Replicates the tied copy (member 0) into every member: parameters and buffers exactly, then, when
    /// <paramref name="noiseScale"/> is positive, adds to each member's parameters Gaussian noise of standard
    /// deviation noiseScale × RMS of that tensor, drawn from that member's own generator.
    /// </summary>
    public void Release(double noiseScale, IReadOnlyList<Generator> memberGenerators)
    {
        if (IsReleased)
        {
            throw new InvalidOperationException("The members were already released; releasing again would reset them.");
        }

        ArgumentOutOfRangeException.ThrowIfNotEqual(memberGenerators.Count, MemberCount);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor> tied = members[0].state_dict();
        for (int k = 1; k < members.Count; k++)
        {
            foreach ((string key, Tensor target) in members[k].state_dict())
            {
                target.copy_(tied[key]);
            }
        }

        if (noiseScale > 0)
        {
            for (int k = 0; k < members.Count; k++)
            {
                foreach (Parameter p in members[k].parameters())
                {
                    // RMS in float64 whatever the parameter's type; the noise is drawn on the CPU, where the member
                    // generators live, so a member's noise does not depend on the device it trains on.
                    double rms = p.detach().to(float64).square().mean().sqrt().item<double>();
                    Tensor noise = randn(p.shape, p.dtype, CPU, generator: memberGenerators[k]);
                    p.add_(noise.to(p.device) * (noiseScale * rms));
                }
            }
        }

        IsReleased = true;
    }

    /// <summary>Marks the members as released without touching their values (checkpoint restore).</summary>
    public void MarkReleased(bool released) => IsReleased = released;

    /// <summary>
    /// Builds the plain layer of the base architecture that replaces this one in the merged network.
    /// </summary>
    public abstract nn.Module<Tensor, Tensor> Merge(MergePolicy policy);
}
