using LatePhaseDist.Core.LatePhase;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Evaluation;

/// <summary>
/// Evaluates classifiers in eval mode without gradients: a plain network, or a late-phase model's merged network,
/// members and prediction ensemble in one pass over the data.
/// </summary>
/// <remarks>
/// Networks return logits (..., C) for targets (...) of class indices. Floating-point inputs are converted to the
/// network's floating-point type and device. Each batch runs in its own dispose scope, which also holds the tensors
/// that the batch sequence creates while producing that batch. The train/eval flag of every module is restored.
/// </remarks>
public static class Evaluator
{
    /// <summary>Accuracy, NLL and ECE of <paramref name="network"/> over all batches.</summary>
    public static ClassificationMetrics Evaluate(
        nn.Module<Tensor, Tensor> network,
        IEnumerable<(Tensor Inputs, Tensor Targets)> batches)
    {
        var accumulator = new ClassificationAccumulator();
        ModuleModes modes = ModuleModes.Capture(network);
        try
        {
            network.eval();
            using var noGrad = no_grad();
            ForEachBatch(batches, (inputs, targets) =>
                accumulator.AddLogits(network.forward(NetworkInput.Prepare(network, inputs)), targets));
        }
        finally
        {
            modes.Restore();
        }

        return accumulator.ToMetrics();
    }

    /// <summary>
    /// Metrics of the merged network (when given), of every member and of the K-member prediction ensemble (mean of
    /// the members' softmax probabilities; its NLL is that of the mean), from one pass over the data: each batch runs
    /// through every member and the merged network. <paramref name="batches"/> is called once. Before release, or for
    /// a plain network, there is one member entry and no ensemble. Active member and output mode are restored.
    /// </summary>
    public static EvaluationReport EvaluateLatePhase(
        LatePhaseModel model,
        nn.Module<Tensor, Tensor>? merged,
        Func<IEnumerable<(Tensor Inputs, Tensor Targets)>> batches)
    {
        bool ensemble = model.HasMembers && model.IsReleased;
        int members = ensemble ? model.MemberCount : 1;
        var memberAccumulators = Enumerable.Range(0, members).Select(_ => new ClassificationAccumulator()).ToList();
        var ensembleAccumulator = new ClassificationAccumulator();
        var mergedAccumulator = new ClassificationAccumulator();
        var layerState = model.Layers.Select(l => (l.Layer.ActiveMember, l.Layer.Output)).ToList();
        ModuleModes networkModes = ModuleModes.Capture(model.Network);
        ModuleModes? mergedModes = merged is null ? null : ModuleModes.Capture(merged);
        try
        {
            model.Network.eval();
            merged?.eval();
            model.SetOutput(LatePhaseOutput.Active);
            using var noGrad = no_grad();
            ForEachBatch(batches(), (inputs, targets) =>
            {
                Tensor input = NetworkInput.Prepare(model.Network, inputs);
                var logProbabilities = new Tensor[members];
                for (int k = 0; k < members; k++)
                {
                    model.SetActiveMember(k);
                    logProbabilities[k] = model.Network.forward(input).to(float64).log_softmax(-1);
                    memberAccumulators[k].AddLogProbabilities(logProbabilities[k], targets);
                }

                if (ensemble)
                {
                    // log(mean_k p_k) computed stably in log space.
                    Tensor mean = stack(logProbabilities).logsumexp(0) - Math.Log(members);
                    ensembleAccumulator.AddLogProbabilities(mean, targets);
                }

                if (merged is not null)
                {
                    mergedAccumulator.AddLogits(merged.forward(NetworkInput.Prepare(merged, inputs)), targets);
                }
            });
        }
        finally
        {
            for (int i = 0; i < model.Layers.Count; i++)
            {
                model.Layers[i].Layer.ActiveMember = layerState[i].ActiveMember;
                model.Layers[i].Layer.Output = layerState[i].Output;
            }

            networkModes.Restore();
            mergedModes?.Restore();
        }

        return new EvaluationReport(
            merged is null ? null : mergedAccumulator.ToMetrics(),
            memberAccumulators.Select(a => a.ToMetrics()).ToList(),
            ensemble ? ensembleAccumulator.ToMetrics() : null);
    }

    private static void ForEachBatch(
        IEnumerable<(Tensor Inputs, Tensor Targets)> batches,
        Action<Tensor, Tensor> evaluate)
    {
        using IEnumerator<(Tensor Inputs, Tensor Targets)> batch = batches.GetEnumerator();
        while (true)
        {
            using var scope = NewDisposeScope();
            if (!batch.MoveNext())
            {
                break;
            }

            evaluate(batch.Current.Inputs, batch.Current.Targets);
        }
    }
}
