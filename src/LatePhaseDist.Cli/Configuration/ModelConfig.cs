using LatePhaseDist.Core.Models;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>The network (config section <c>model</c>); input shape and class count come from the data set.</summary>
internal sealed record ModelConfig
{
    /// <summary>"resnet" (pre-activation ResNet, default), "wrn" (Wide ResNet) or "mlp".</summary>
    public string Kind { get; init; } = ModelSpec.ResNetKind;

    /// <summary>Weighted layers: 6n+2 for resnet, 6n+4 for wrn; 0 (default) means 20 for resnet, 28 for wrn.</summary>
    public int Depth { get; init; }

    /// <summary>Base width for resnet, widen factor for wrn; 0 (default) means 16 for resnet, 10 for wrn.</summary>
    public int Width { get; init; }

    /// <summary>Hidden layer sizes of the MLP; default (null) [256, 256].</summary>
    public int[]? Hidden { get; init; }

    /// <summary>Whether each MLP hidden layer has a BatchNorm1d; default true.</summary>
    public bool MlpBatchNorm { get; init; } = true;
}
