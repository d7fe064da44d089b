using static TorchSharp.torch;

namespace LatePhaseDist.Core.Data;

/// <summary>
/// One minibatch: normalised inputs, targets and the dataset indices they came from. The batch owns its
/// tensors; disposing it frees them.
/// </summary>
public sealed class Batch : IDisposable
{
    /// <summary>Wraps tensors the batch takes ownership of.</summary>
    /// <param name="inputs">float32 [B, C, H, W].</param>
    /// <param name="targets">int64 [B].</param>
    /// <param name="sampleIndices">The B dataset indices, in batch order.</param>
    public Batch(Tensor inputs, Tensor targets, int[] sampleIndices)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sampleIndices);
        if (inputs.Dimensions < 1 || inputs.shape[0] != sampleIndices.Length ||
            targets.Dimensions != 1 || targets.shape[0] != sampleIndices.Length)
        {
            throw new ArgumentException(
                $"inputs [{string.Join(", ", inputs.shape)}] and targets [{string.Join(", ", targets.shape)}] " +
                $"must both lead with the batch size {sampleIndices.Length}");
        }

        Inputs = inputs;
        Targets = targets;
        SampleIndices = sampleIndices;
    }

    /// <summary>Normalised inputs, float32, [B, C, H, W].</summary>
    public Tensor Inputs { get; }

    /// <summary>Class labels, int64, [B].</summary>
    public Tensor Targets { get; }

    /// <summary>The dataset index of each sample, in batch order.</summary>
    public int[] SampleIndices { get; }

    /// <summary>Number of samples B.</summary>
    public int Size => SampleIndices.Length;

    /// <summary>Frees the input and target tensors.</summary>
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
