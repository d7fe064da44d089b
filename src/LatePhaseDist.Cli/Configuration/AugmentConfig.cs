namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// Training augmentation (config section <c>data.augment</c>); null takes the data set's preset value.
/// </summary>
internal sealed record AugmentConfig
{
    /// <summary>Random crop with this much zero padding per side, in pixels; 0 turns it off.</summary>
    public int? PadCrop { get; init; }

    /// <summary>Random horizontal flip with probability ½.</summary>
    public bool? Flip { get; init; }
}
