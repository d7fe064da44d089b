using LatePhaseDist.Core.Data;
using static TorchSharp.torch;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// Unaugmented batches over a whole data set in index order, built lazily. Each batch's tensors belong to the dispose
/// scope that is current when the batch is produced (the consumers open one per batch).
/// </summary>
internal static class DataBatches
{
    /// <summary>
    /// Inputs and targets of every sample, <paramref name="batchSize"/> at a time (the last batch may be smaller).
    /// </summary>
    public static IEnumerable<(Tensor Inputs, Tensor Targets)> Labelled(
        ImageDataset data, AugmentationOptions augmentation, int batchSize)
    {
        foreach (int[] indices in Chunks(data.Count, batchSize))
        {
            Batch batch = BatchBuilder.Build(data, indices, augmentation, seed: 0, epoch: 0, train: false);
            yield return (batch.Inputs, batch.Targets);
        }
    }

    /// <summary>Inputs only, for recomputing BatchNorm statistics over one pass of the training data.</summary>
    public static IEnumerable<Tensor> Inputs(ImageDataset data, AugmentationOptions augmentation, int batchSize) =>
        Labelled(data, augmentation, batchSize).Select(b => b.Inputs);

    private static IEnumerable<int[]> Chunks(int count, int size)
    {
        for (int start = 0; start < count; start += size)
        {
            yield return Enumerable.Range(start, Math.Min(size, count - start)).ToArray();
        }
    }
}
