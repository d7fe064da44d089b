namespace LatePhaseDist.Core.Data;

/// <summary>
/// How training batches are augmented and how all batches are normalised: pixel p (0..255) of channel c
/// becomes (p / 255 − Mean[c]) / Std[c] in float32, as torchvision's ToTensor then Normalize compute it.
/// The presets return a new instance on every call; record equality compares Mean and Std by reference.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>
    /// Random crop with zero padding, in pixels per side: the image is padded by this much with 0 (black, before
    /// normalisation) and a crop of the original size is taken at a random offset. 0 (default) turns it off.
    /// </summary>
    public int PadCrop { get; init; }

    /// <summary>Mirror each training image left to right with probability ½. Default false.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Per-channel mean on the [0, 1] pixel scale; its length must equal the channel count.</summary>
    public required float[] Mean { get; init; }

    /// <summary>Per-channel standard deviation on the [0, 1] scale, each &gt; 0; length = channel count.</summary>
    public required float[] Std { get; init; }

    /// <summary>Fashion-MNIST: mean 0.2860, std 0.3530, no crop, no flip.</summary>
    public static AugmentationOptions FashionMnist => new() { Mean = [0.2860f], Std = [0.3530f] };

    /// <summary>CIFAR-10 as in the authors' code: pad-crop 4, flip, their per-channel mean and std.</summary>
    public static AugmentationOptions Cifar10 => new()
    {
        PadCrop = 4,
        HorizontalFlip = true,
        Mean = [0.4914f, 0.4822f, 0.4465f],
        Std = [0.2023f, 0.1994f, 0.2010f],
    };

    /// <summary>CIFAR-100 as in the authors' code: pad-crop 4, flip, their per-channel mean and std.</summary>
    public static AugmentationOptions Cifar100 => new()
    {
        PadCrop = 4,
        HorizontalFlip = true,
        Mean = [0.5071f, 0.4867f, 0.4408f],
        Std = [0.2675f, 0.2565f, 0.2761f],
    };

    /// <summary>No augmentation; normalisation with mean 0.5 and std 0.5 on every channel (to [−1, 1]).</summary>
    public static AugmentationOptions Plain(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);

        var half = Enumerable.Repeat(0.5f, channels);
        return new() { Mean = half.ToArray(), Std = half.ToArray() };
    }

    /// <summary>Refuses settings that cannot apply to images with <paramref name="channels"/> channels.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate(int channels)
    {
        if (PadCrop < 0)
        {
            throw new ArgumentException($"PadCrop must be 0 (off) or positive, got {PadCrop}", nameof(PadCrop));
        }

        if (Mean is null || Mean.Length != channels)
        {
            throw new ArgumentException(
                $"Mean must have one value per channel ({channels}), got {Mean?.Length ?? 0}", nameof(Mean));
        }

        if (Std is null || Std.Length != channels)
        {
            throw new ArgumentException(
                $"Std must have one value per channel ({channels}), got {Std?.Length ?? 0}", nameof(Std));
        }

        if (Std.Any(s => !(s > 0) || float.IsInfinity(s)) || Mean.Any(m => !float.IsFinite(m)))
        {
            throw new ArgumentException("Std values must be finite and > 0 and Mean values finite", nameof(Std));
        }
    }
}
