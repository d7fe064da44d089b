using LatePhaseDist.Core.LatePhase;
using static TorchSharp.torch;

namespace LatePhaseDist.Cli.Runs;

/// <summary>Merges a trained late-phase model into a plain network of the base architecture.</summary>
internal static class Merger
{
    /// <summary>
    /// The merged network as a fresh model-zoo network. <c>recompute</c> then recomputes its BatchNorm statistics over
    /// one pass of the training data without augmentation, in index order, in batches of <c>training.batchSize</c>.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Merge(RunWorkspace workspace, LatePhaseModel model)
    {
        MergePolicy policy = workspace.Config.Config.LatePhase.Merge;
        nn.Module<Tensor, Tensor> merged = Core.Models.ModelZoo.Create(workspace.Config.Model);
        using (no_grad())
        {
            Dictionary<string, Tensor> state = model.MergedState(policy);
            merged.load_state_dict(state, strict: true);
        }

        if (policy == MergePolicy.Recompute)
        {
            int batchSize = workspace.Config.Config.Training.BatchSize;
            int batches = BatchNormStatistics.Recompute(
                merged, DataBatches.Inputs(workspace.Train, workspace.Config.Augmentation, batchSize));
            CliLog.StatisticsRecomputed(workspace.Logger, batches);
        }

        return merged;
    }

    /// <summary>The policy's name as configs spell it.</summary>
    public static string Name(MergePolicy policy) => policy == MergePolicy.Fold ? "fold" : "recompute";
}
