using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LatePhaseDist.Core.Models;

/// <summary>Builds the networks that a <see cref="ModelSpec"/> describes.</summary>
public static class ModelZoo
{
    /// <summary>
    /// Validates <paramref name="spec"/> and builds its network with fresh weights drawn from torch's default
    /// generator (seed it first with <c>torch.manual_seed</c> for a reproducible model). The network is in
    /// training mode, on torch's default device and dtype.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is invalid; the message names the config key.</exception>
    public static Module<Tensor, Tensor> Create(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();

        var (channels, classes) = (spec.InputChannels, spec.Classes);

        return spec.Kind switch
        {
            ModelSpec.ResNetKind => new PreActResNet(channels, classes, spec.ResolvedDepth, spec.ResolvedWidth),
            ModelSpec.WideResNetKind => new WideResNet(channels, classes, spec.ResolvedDepth, spec.ResolvedWidth),
            _ => new Mlp(checked(channels * spec.InputSize * spec.InputSize), spec.Hidden, classes, spec.MlpBatchNorm),
        };
    }
}
