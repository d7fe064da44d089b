using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Data;

/// <summary>
/// An image classification set held in memory: pixels as bytes (uint8, [N, C, H, W], CPU) and labels (int64,
/// [N]). It is read-only after construction; batch builders read its pixels from managed memory.
/// Disposing it frees both tensors.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private readonly byte[] pixels;
    private readonly long[] labels;

    /// <summary>
    /// Wraps existing tensors and takes ownership of them. The tensors are copied once into managed memory, so
    /// later in-place changes to them are not seen by batch builders.
    /// </summary>
    /// <param name="images">uint8 pixels, shape [N, C, H, W] with N ≥ 1, on the CPU.</param>
    /// <param name="labels">int64 class labels in [0, <paramref name="classes"/>), shape [N], on the CPU.</param>
    /// <param name="classes">Number of classes, at least 1.</param>
    /// <param name="name">A name for logs and errors, e.g. "fashion-mnist-train".</param>
    public ImageDataset(Tensor images, Tensor labels, int classes, string name)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        CheckTensor(images, ScalarType.Byte, 4, nameof(images));
        CheckTensor(labels, ScalarType.Int64, 1, nameof(labels));
        if (images.shape[0] != labels.shape[0])
        {
            throw new ArgumentException(
                $"images hold {images.shape[0]} samples but labels hold {labels.shape[0]}", nameof(labels));
        }

        using (var contiguous = images.contiguous())
        {
            pixels = contiguous.bytes.ToArray();
        }

        using (var contiguous = labels.contiguous())
        {
            this.labels = MemoryMarshal.Cast<byte, long>(contiguous.bytes).ToArray();
        }

        CheckLabels(this.labels, classes);
        Images = images;
        Labels = labels;
        (Count, Channels, Height, Width) =
            ((int)images.shape[0], (int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
        Classes = classes;
        Name = name;
    }

    private ImageDataset(byte[] pixels, long[] labels, int channels, int height, int width, int classes, string name)
    {
        this.pixels = pixels;
        this.labels = labels;
        (Count, Channels, Height, Width, Classes, Name) = (labels.Length, channels, height, width, classes, name);

        // frombuffer shares the arrays' memory with the tensors, so the data is held once.
        using var flatImages = torch.frombuffer(pixels, ScalarType.Byte);
        Images = flatImages.view(Count, channels, height, width);
        Labels = torch.frombuffer(labels, ScalarType.Int64);
    }

    /// <summary>Pixels, uint8, shape [N, C, H, W], CPU.</summary>
    public Tensor Images { get; }

    /// <summary>Class labels, int64, shape [N], CPU.</summary>
    public Tensor Labels { get; }

    /// <summary>Number of samples N.</summary>
    public int Count { get; }

    /// <summary>Channels per image C (1 for grey scale, 3 for RGB).</summary>
    public int Channels { get; }

    /// <summary>Image height H in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width W in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of classes; every label is in [0, Classes).</summary>
    public int Classes { get; }

    /// <summary>A name for logs and errors, e.g. "cifar10-test".</summary>
    public string Name { get; }

    /// <summary>The pixels in [N, C, H, W] order, shared with <see cref="Images"/> or copied from it.</summary>
    internal ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>The labels, shared with <see cref="Labels"/> or copied from it.</summary>
    internal ReadOnlySpan<long> LabelValues => labels;

    /// <summary>
    /// A deterministic, learnable synthetic set: each class has a fixed blocky pattern per channel (fixed by
    /// <paramref name="channels"/>, <paramref name="size"/> and <paramref name="classes"/> alone, so sets made
    /// with different seeds share their classes), and each sample is its class pattern plus uniform noise of
    /// ±48 grey levels. <paramref name="seed"/> draws the labels and the noise.
    /// </summary>
    public static ImageDataset Synthetic(int count, int channels, int size, int classes, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);

        var imageSize = channels * size * size;
        var patterns = SyntheticPatterns(channels, size, classes);
        var generator = new SplitMix64(SplitMix64.Combine(0x53594E5448455449UL, (ulong)seed));
        var pixels = new byte[(long)count * imageSize];
        var labels = new long[count];
        for (var i = 0; i < count; i++)
        {
            var label = generator.NextBelow(classes);
            labels[i] = label;
            var pattern = patterns.AsSpan(label * imageSize, imageSize);
            var image = pixels.AsSpan(i * imageSize, imageSize);
            for (var p = 0; p < imageSize; p++)
            {
                image[p] = (byte)Math.Clamp(pattern[p] + generator.NextBelow(97) - 48, 0, 255);
            }
        }

        var name = $"synthetic-{channels}x{size}x{size}-{classes}-seed{seed}";
        return new ImageDataset(pixels, labels, channels, size, size, classes, name);
    }

    /// <summary>Frees the image and label tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }

    /// <summary>Wraps arrays the caller gives up; labels must already be checked against the class count.</summary>
    internal static ImageDataset FromArrays(
        byte[] pixels,
        long[] labels,
        int channels,
        int height,
        int width,
        int classes,
        string name) =>
        new(pixels, labels, channels, height, width, classes, name);

    private static byte[] SyntheticPatterns(int channels, int size, int classes)
    {
        // Blocks of about a quarter of the side keep patterns recognisable after a few pixels of crop shift.
        var block = Math.Max(1, size / 4);
        var blocksPerSide = (size + block - 1) / block;
        var imageSize = channels * size * size;
        var patterns = new byte[classes * imageSize];
        var shapeKey = (ulong)(channels * 1_000_003L + size);
        var generator = new SplitMix64(SplitMix64.Combine(0x5041545445524E53UL, shapeKey));
        var levels = new byte[channels * blocksPerSide * blocksPerSide];
        for (var k = 0; k < classes; k++)
        {
            for (var l = 0; l < levels.Length; l++)
            {
                levels[l] = (byte)(32 + generator.NextBelow(192));
            }

            for (var c = 0; c < channels; c++)
            {
                for (var y = 0; y < size; y++)
                {
                    for (var x = 0; x < size; x++)
                    {
                        var level = levels[(c * blocksPerSide + y / block) * blocksPerSide + x / block];
                        patterns[k * imageSize + (c * size + y) * size + x] = level;
                    }
                }
            }
        }

        return patterns;
    }

    private static void CheckTensor(Tensor tensor, ScalarType dtype, int dimensions, string parameter)
    {
        if (tensor.dtype != dtype || tensor.Dimensions != dimensions || tensor.device_type != DeviceType.CPU)
        {
            throw new ArgumentException(
                $"{parameter} must be a {dimensions}-dimensional {dtype} tensor on the CPU, " +
                $"got {tensor.dtype} of shape [{string.Join(", ", tensor.shape)}] on {tensor.device}",
                parameter);
        }

        if (tensor.shape[0] == 0)
        {
            throw new ArgumentException($"{parameter} must hold at least one sample", parameter);
        }
    }

    private static void CheckLabels(long[] labels, int classes)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classes)
            {
                throw new ArgumentException(
                    $"label {labels[i]} at index {i} is outside [0, {classes})", nameof(labels));
            }
        }
    }
}
