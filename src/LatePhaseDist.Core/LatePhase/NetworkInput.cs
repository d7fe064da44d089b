using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>Moves a batch to where a network's parameters live before a forward pass.</summary>
internal static class NetworkInput
{
    /// <summary>
    /// The input on the network's device; a floating-point input also takes the network's floating-point type, so that
    /// float32 batches from a loader can feed a float64 network. Integer inputs (token ids) keep their type.
    /// </summary>
    public static Tensor Prepare(nn.Module network, Tensor input)
    {
        Tensor? reference = network.parameters().FirstOrDefault(p => p.is_floating_point());
        if (reference is null)
        {
            return input;
        }

        return input.is_floating_point()
            ? input.to(reference.dtype, reference.device)
            : input.to(reference.device);
    }
}
