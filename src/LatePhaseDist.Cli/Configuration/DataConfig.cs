namespace LatePhaseDist.Cli.Configuration;

/// <summary>The data set (config section <c>data</c>).</summary>
internal sealed record DataConfig
{
    /// <summary>
    /// "fashion-mnist" (default), "mnist", "cifar10", "cifar100", "synthetic-28" (1×28×28, 10 classes),
    /// "synthetic-32" (3×32×32, 10 classes) or "synthetic-32-100" (3×32×32, 100 classes).
    /// </summary>
    public string Kind { get; init; } = "fashion-mnist";

    /// <summary>
    /// Directory of the data files, absolute or relative to the current directory (the resolved config holds the
    /// absolute path). Default null: Debian's Fashion-MNIST location (or the directory in the environment variable
    /// that <see cref="Core.Data.IdxReader"/> reads) for fashion-mnist; mnist, cifar10 and cifar100 need one.
    /// </summary>
    public string? Path { get; init; }

    /// <summary>Training samples of a synthetic kind (its test set holds a fifth as many); default 2000.</summary>
    public int SyntheticCount { get; init; } = 2000;

    /// <summary>
    /// Training augmentation; each unset value comes from the data set's preset. Normalisation is the preset's.
    /// </summary>
    public AugmentConfig Augment { get; init; } = new();
}
