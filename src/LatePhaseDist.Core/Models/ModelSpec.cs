using System.Text;

namespace LatePhaseDist.Core.Models;

/// <summary>Describes a network of the model zoo; <see cref="ModelZoo.Create"/> builds it.</summary>
/// <param name="Kind">
/// The architecture (config key <c>model.kind</c>): <c>resnet</c> (pre-activation ResNet), <c>wrn</c>
/// (Wide ResNet) or <c>mlp</c>. Default <c>resnet</c>.
/// </param>
/// <param name="InputChannels">Channels of an input image (<c>model.inputChannels</c>). Default 1.</param>
/// <param name="InputSize">
/// Height and width of a square input image in pixels (<c>model.inputSize</c>). Default 28. The
/// convolutional nets end in a global average pool, so only the MLP's shape depends on it.
/// </param>
/// <param name="Classes">Number of output classes (<c>model.classes</c>). Default 10.</param>
/// <param name="Depth">
/// Number of weighted layers (<c>model.depth</c>): 6n+2 for resnet, 6n+4 for wrn; unused by mlp.
/// Default 0, which means the kind's default: 20 for resnet, 28 for wrn.
/// </param>
/// <param name="Width">
/// Base width of the first stage for resnet, widen factor k for wrn (<c>model.width</c>); unused by mlp.
/// Default 0, which means the kind's default: 16 for resnet, 10 for wrn.
/// </param>
/// <param name="Hidden">Hidden layer sizes of the MLP (<c>model.hidden</c>). Default (null) [256, 256].</param>
/// <param name="MlpBatchNorm">
/// Whether each MLP hidden layer is Linear → BatchNorm1d → ReLU rather than Linear → ReLU
/// (<c>model.mlp_batch_norm</c>). Default true.
/// </param>
public sealed record ModelSpec(
    string Kind = ModelSpec.ResNetKind,
    int InputChannels = 1,
    int InputSize = 28,
    int Classes = 10,
    int Depth = 0,
    int Width = 0,
    int[]? Hidden = null,
    bool MlpBatchNorm = true)
{
    /// <summary>The <see cref="Kind"/> of a pre-activation ResNet.</summary>
    public const string ResNetKind = "resnet";

    /// <summary>The <see cref="Kind"/> of a Wide ResNet.</summary>
    public const string WideResNetKind = "wrn";

    /// <summary>The <see cref="Kind"/> of a multi-layer perceptron.</summary>
    public const string MlpKind = "mlp";

    private const int DefaultResNetDepth = 20;
    private const int DefaultResNetWidth = 16;
    private const int DefaultWrnDepth = 28;
    private const int DefaultWrnWidth = 10;

    /// <summary>Hidden layer sizes of the MLP (<c>model.hidden</c>). Default [256, 256].</summary>
    public int[] Hidden { get; init; } = Hidden ?? [256, 256];

    /// <summary>The depth actually built: <see cref="Depth"/>, or the kind's default when it is 0.</summary>
    public int ResolvedDepth => Depth != 0 ? Depth : Kind switch
    {
        ResNetKind => DefaultResNetDepth,
        WideResNetKind => DefaultWrnDepth,
        _ => 0,
    };

    /// <summary>The width actually built: <see cref="Width"/>, or the kind's default when it is 0.</summary>
    public int ResolvedWidth => Width != 0 ? Width : Kind switch
    {
        ResNetKind => DefaultResNetWidth,
        WideResNetKind => DefaultWrnWidth,
        _ => 0,
    };

    /// <summary>Checks every setting and throws on the first one that cannot be built.</summary>
    /// <exception cref="OptionException">
    /// A setting is out of range; the message names its config key, its value and what is allowed.
    /// </exception>
    public void Validate()
    {
        if (Kind is not (ResNetKind or WideResNetKind or MlpKind))
        {
            throw new OptionException("model.kind", Kind, $"use {ResNetKind}, {WideResNetKind} or {MlpKind}");
        }

        RequireAtLeast("model.inputChannels", InputChannels, 1);
        RequireAtLeast("model.inputSize", InputSize, 1);
        RequireAtLeast("model.classes", Classes, 2);

        switch (Kind)
        {
            case ResNetKind:
                ValidateResidual(remainder: 2, examples: "8, 14, 20, 26, 32, 44, 56, 110", "base width");
                break;

            case WideResNetKind:
                ValidateResidual(remainder: 4, examples: "10, 16, 22, 28, 40", "widen factor");
                break;

            default:
                ValidateMlp();
                break;
        }
    }

    /// <inheritdoc/>
    public bool Equals(ModelSpec? other) =>
        other is not null
        && Kind == other.Kind
        && InputChannels == other.InputChannels
        && InputSize == other.InputSize
        && Classes == other.Classes
        && Depth == other.Depth
        && Width == other.Width
        && MlpBatchNorm == other.MlpBatchNorm
        && (Hidden ?? []).AsSpan().SequenceEqual(other.Hidden ?? []);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(InputChannels);
        hash.Add(InputSize);
        hash.Add(Classes);
        hash.Add(Depth);
        hash.Add(Width);
        hash.Add(MlpBatchNorm);

        foreach (var size in Hidden ?? [])
        {
            hash.Add(size);
        }

        return hash.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Kind = {Kind}, InputChannels = {InputChannels}, InputSize = {InputSize}, ");
        builder.Append($"Classes = {Classes}, Depth = {Depth}, Width = {Width}, ");
        builder.Append($"Hidden = [{string.Join(", ", Hidden ?? [])}], MlpBatchNorm = {MlpBatchNorm}");
        return true;
    }

    private void ValidateResidual(int remainder, string examples, string widthMeaning)
    {
        var depth = ResolvedDepth;
        if (depth < 6 + remainder || (depth - remainder) % 6 != 0)
        {
            throw Refuse("model.depth", depth, $"depth must be 6n+{remainder} ({examples}, ...)");
        }

        var width = ResolvedWidth;
        if (width < 1)
        {
            throw Refuse("model.width", width, $"the {widthMeaning} must be at least 1 (0 = default)");
        }
    }

    private void ValidateMlp()
    {
        if ((long)InputChannels * InputSize * InputSize > int.MaxValue)
        {
            throw Refuse("model.inputSize", InputSize, "the flattened input must fit in 2^31 - 1 features");
        }

        if (Hidden is null)
        {
            throw Refuse("model.hidden", null, "give a list of layer sizes, e.g. [256, 256], or [] for none");
        }

        foreach (var size in Hidden)
        {
            if (size < 1)
            {
                throw Refuse("model.hidden", Hidden, "every hidden layer size must be at least 1");
            }
        }
    }

    private void RequireAtLeast(string key, int value, int minimum)
    {
        if (value < minimum)
        {
            throw Refuse(key, value, $"must be at least {minimum}");
        }
    }

    private OptionException Refuse(string key, object? value, string allowed) =>
        new(key, value, $"for {Kind}, {allowed}");
}
