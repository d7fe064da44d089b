using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Data;

/// <summary>
/// Builds minibatches on the CPU from a dataset's managed pixels: gather, crop and flip (training only, drawn by
/// <see cref="SampleRandom"/> from (seed, epoch, sample index)), convert and normalise, then one tensor per batch.
/// Pure managed float arithmetic, so the result is bit-identical for the same arguments on any thread.
/// </summary>
public static class BatchBuilder
{
    /// <summary>
    /// Builds the batch of <paramref name="sampleIndices"/>. Its tensors belong to the caller's current dispose
    /// scope, if any, as well as to the batch.
    /// </summary>
    /// <param name="data">The dataset to read from.</param>
    /// <param name="sampleIndices">Dataset indices in batch order; at least one, each in [0, Count).</param>
    /// <param name="aug">Augmentation and normalisation; validated against the dataset's channel count.</param>
    /// <param name="seed">The run's data seed.</param>
    /// <param name="epoch">The epoch (0-based); crops and flips change with it.</param>
    /// <param name="train">Whether to augment; evaluation batches only normalise.</param>
    public static Batch Build(
        ImageDataset data,
        ReadOnlySpan<int> sampleIndices,
        AugmentationOptions aug,
        long seed,
        int epoch,
        bool train)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(aug);
        aug.Validate(data.Channels);
        if (sampleIndices.IsEmpty)
        {
            throw new ArgumentException("a batch needs at least one sample", nameof(sampleIndices));
        }

        var (channels, height, width) = (data.Channels, data.Height, data.Width);
        var imageSize = channels * height * width;
        var table = NormalisationTable(aug);
        var pixels = data.Pixels;
        var labels = data.LabelValues;
        var inputs = new float[(long)sampleIndices.Length * imageSize];
        var targets = new long[sampleIndices.Length];
        var indices = sampleIndices.ToArray();
        for (var b = 0; b < indices.Length; b++)
        {
            var index = indices[b];
            if ((uint)index >= (uint)data.Count)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(sampleIndices),
                    $"sample index {index} at position {b} is outside [0, {data.Count}) of {data.Name}");
            }

            var draw = train
                ? SampleRandom.Draw(seed, epoch, index, aug.PadCrop, aug.HorizontalFlip)
                : new SampleAugmentation(aug.PadCrop, aug.PadCrop, false);
            var source = pixels.Slice(index * imageSize, imageSize);
            var target = inputs.AsSpan(b * imageSize, imageSize);
            WriteSample(source, target, table, channels, height, width, draw, aug.PadCrop);
            targets[b] = labels[index];
        }

        using var flat = torch.frombuffer(inputs, ScalarType.Float32);
        return new Batch(
            flat.view(indices.Length, channels, height, width),
            torch.tensor(targets),
            indices);
    }

    /// <summary>(v / 255 − mean[c]) / std[c] in float32 for every channel c and byte value v.</summary>
    private static float[] NormalisationTable(AugmentationOptions aug)
    {
        var table = new float[aug.Mean.Length * 256];
        for (var c = 0; c < aug.Mean.Length; c++)
        {
            for (var v = 0; v < 256; v++)
            {
                table[c * 256 + v] = ((float)v / 255f - aug.Mean[c]) / aug.Std[c];
            }
        }

        return table;
    }

    private static void WriteSample(
        ReadOnlySpan<byte> source,
        Span<float> target,
        ReadOnlySpan<float> table,
        int channels,
        int height,
        int width,
        SampleAugmentation draw,
        int pad)
    {
        var shiftY = draw.OffsetY - pad;
        var shiftX = draw.OffsetX - pad;
        for (var c = 0; c < channels; c++)
        {
            var lut = table.Slice(c * 256, 256);
            var padValue = lut[0];
            for (var y = 0; y < height; y++)
            {
                var row = target.Slice((c * height + y) * width, width);
                var sy = y + shiftY;
                if ((uint)sy >= (uint)height)
                {
                    row.Fill(padValue);
                    continue;
                }

                var sourceRow = source.Slice((c * height + sy) * width, width);
                if (draw.Flip)
                {
                    // Output x reads source column width − 1 − x + shiftX, inside the image for x in [from, to).
                    var from = Math.Clamp(shiftX, 0, width);
                    var to = Math.Clamp(width + shiftX, from, width);
                    row[..from].Fill(padValue);
                    for (var x = from; x < to; x++)
                    {
                        row[x] = lut[sourceRow[width - 1 - x + shiftX]];
                    }

                    row[to..].Fill(padValue);
                }
                else
                {
                    // Output x reads source column x + shiftX, inside the image for x in [from, to).
                    var from = Math.Clamp(-shiftX, 0, width);
                    var to = Math.Clamp(width - shiftX, from, width);
                    row[..from].Fill(padValue);
                    for (var x = from; x < to; x++)
                    {
                        row[x] = lut[sourceRow[x + shiftX]];
                    }

                    row[to..].Fill(padValue);
                }
            }
        }
    }
}
