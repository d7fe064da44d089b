using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.LatePhase;

/// <summary>Recomputes BatchNorm running statistics from data, as PyTorch's <c>swa_utils.update_bn</c> does.</summary>
public static class BatchNormStatistics
{
    /// <summary>
    /// Resets the running statistics of every BatchNorm layer of <paramref name="network"/> and recomputes them over
    /// one pass of <paramref name="inputBatches"/>, run in train mode without gradients. Each layer's statistics become
    /// the cumulative average (momentum null) of its per-batch means and unbiased per-batch variances, every batch
    /// weighted equally: this is the equal-weight average of per-batch statistics, not the exact variance of the full
    /// data (batches of unequal size and the spread of the batch means make the two differ). Afterwards every layer's
    /// momentum and the train/eval flag of the network and of each of its submodules are as they were. With no
    /// batches the statistics stay reset (mean 0, variance 1), as in PyTorch.
    /// </summary>
    /// <remarks>
    /// Floating-point inputs are converted to the network's floating-point type and device. Tensors that the sequence
    /// creates while producing a batch are disposed after that batch. A late-phase network whose members have been
    /// released is refused: a pass runs only the active member, so use
    /// <see cref="LatePhaseModel.RecomputeStatistics"/>, which makes one pass per member.
    /// </remarks>
    /// <returns>The number of batches run.</returns>
    public static int Recompute(nn.Module<Tensor, Tensor> network, IEnumerable<Tensor> inputBatches)
    {
        if (network.modules().OfType<LatePhaseLayer>().Any(l => l.IsReleased && l.MemberCount > 1))
        {
            throw new ArgumentException(
                "The network holds released late-phase members and a pass runs only the active one; " +
                "recompute through LatePhaseModel.RecomputeStatistics instead.",
                nameof(network));
        }

        return RecomputeLayers(network, inputBatches, BatchNormLayers(network));
    }

    /// <summary>The BatchNorm layers of a network that keep running statistics, in module order.</summary>
    internal static IReadOnlyList<BatchNorm> BatchNormLayers(nn.Module network) =>
        network.modules().OfType<BatchNorm>().Where(l => l.track_running_stats).ToList();

    /// <summary>Recomputes the statistics of <paramref name="layers"/> only, running the whole network.</summary>
    internal static int RecomputeLayers(
        nn.Module<Tensor, Tensor> network,
        IEnumerable<Tensor> inputBatches,
        IReadOnlyList<BatchNorm> layers)
    {
        if (layers.Count == 0)
        {
            return 0;
        }

        ModuleModes modes = ModuleModes.Capture(network);
        var momenta = layers.Select(l => l.momentum).ToList();
        int batches = 0;
        try
        {
            using var noGrad = no_grad();
            foreach (BatchNorm layer in layers)
            {
                // Null momentum makes TorchSharp use 1 / num_batches_tracked, as PyTorch does; a momentum of 0 would
                // freeze the statistics instead.
                layer.reset_running_stats();
                layer.momentum = null;
            }

            network.train();
            using IEnumerator<Tensor> batch = inputBatches.GetEnumerator();
            while (true)
            {
                using var scope = NewDisposeScope();
                if (!batch.MoveNext())
                {
                    break;
                }

                network.forward(NetworkInput.Prepare(network, batch.Current));
                batches++;
            }
        }
        finally
        {
            for (int i = 0; i < layers.Count; i++)
            {
                layers[i].momentum = momenta[i];
            }

            modes.Restore();
        }

        return batches;
    }
}
