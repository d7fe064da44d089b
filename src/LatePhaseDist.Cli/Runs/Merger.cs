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
        int batchSize = workspace.Config.Config.Training.BatchSize;
        IEnumerable<Tensor>? statisticsBatches = policy == MergePolicy.Recompute
            ? DataBatches.Inputs(workspace.Train, workspace.Config.Augmentation, batchSize)
            : null;
        return model.MergeInto(Core.Models.ModelZoo.Create(workspace.Config.Model), policy, statisticsBatches);
    }

    /// <summary>The policy's name as configs spell it.</summary>
    public static string Name(MergePolicy policy) => policy == MergePolicy.Fold ? "fold" : "recompute";
}
