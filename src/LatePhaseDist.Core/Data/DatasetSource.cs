namespace LatePhaseDist.Core.Data;

/// <summary>Loads a train/test pair by kind name, as configs and the command line give it.</summary>
public static class DatasetSource
{
    /// <summary>The kinds <see cref="Load"/> accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        ["fashion-mnist", "mnist", "cifar10", "cifar100", "synthetic-28", "synthetic-32", "synthetic-32-100"];

    /// <summary>
    /// Loads the train and test sets of <paramref name="kind"/>:
    /// "fashion-mnist" (IDX files in <paramref name="path"/>, or where <see cref="IdxReader.FindFashionMnist()"/>
    /// finds them when null), "mnist" (IDX files in path), "cifar10" and "cifar100" (binary files in path),
    /// "synthetic-28" (1×28×28, 10 classes), "synthetic-32" (3×32×32, 10 classes) and "synthetic-32-100"
    /// (3×32×32, 100 classes). Synthetic sets have <paramref name="syntheticCount"/> training samples and a fifth
    /// as many (at least 1) test samples, with fixed seeds 1 and 2; the other kinds ignore the count.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is unknown, or a kind that needs a path has none.</exception>
    /// <exception cref="FileNotFoundException">Fashion-MNIST is not installed and no path was given.</exception>
    /// <exception cref="DataFormatException">A data file is missing or malformed.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(string kind, string? path, int syntheticCount)
    {
        ArgumentNullException.ThrowIfNull(kind);

        return kind switch
        {
            "fashion-mnist" => IdxReader.ReadStandardPair(path ?? FashionMnistDirectory(), "fashion-mnist"),
            "mnist" => IdxReader.ReadStandardPair(RequirePath(kind, path), "mnist"),
            "cifar10" => CifarReader.ReadCifar10(RequirePath(kind, path)),
            "cifar100" => CifarReader.ReadCifar100(RequirePath(kind, path)),
            "synthetic-28" => Synthetic(syntheticCount, 1, 28, 10),
            "synthetic-32" => Synthetic(syntheticCount, 3, 32, 10),
            "synthetic-32-100" => Synthetic(syntheticCount, 3, 32, 100),
            _ => throw new ArgumentException(
                $"unknown data set kind '{kind}'; allowed: {string.Join(", ", Kinds)}", nameof(kind)),
        };
    }

    /// <summary>
    /// The usual augmentation for <paramref name="kind"/>: the Fashion-MNIST, CIFAR-10 and CIFAR-100 presets;
    /// for MNIST mean 0.1307 and std 0.3081; for synthetic kinds <see cref="AugmentationOptions.Plain"/>, with
    /// pad-crop 4 and flip on the 32-pixel ones.
    /// </summary>
    public static AugmentationOptions Augmentation(string kind) => kind switch
    {
        "fashion-mnist" => AugmentationOptions.FashionMnist,
        "mnist" => new AugmentationOptions { Mean = [0.1307f], Std = [0.3081f] },
        "cifar10" => AugmentationOptions.Cifar10,
        "cifar100" => AugmentationOptions.Cifar100,
        "synthetic-28" => AugmentationOptions.Plain(1),
        "synthetic-32" or "synthetic-32-100" =>
            AugmentationOptions.Plain(3) with { PadCrop = 4, HorizontalFlip = true },
        _ => throw new ArgumentException(
            $"unknown data set kind '{kind}'; allowed: {string.Join(", ", Kinds)}", nameof(kind)),
    };

    private static string FashionMnistDirectory() =>
        IdxReader.FindFashionMnist() ?? throw new FileNotFoundException(
            $"Fashion-MNIST was not found in {IdxReader.DebianFashionMnistDirectory}. Install it with " +
            $"`apt-get install dataset-fashion-mnist`, or give the directory that holds its IDX files as the " +
            $"data path or in the {IdxReader.FashionMnistVariable} environment variable.");

    private static string RequirePath(string kind, string? path) =>
        string.IsNullOrEmpty(path)
            ? throw new ArgumentException($"data set kind '{kind}' needs a path to its files", nameof(path))
            : path;

    private static (ImageDataset Train, ImageDataset Test) Synthetic(int count, int channels, int size, int classes)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, "synthetic data sets need a positive sample count");
        }

        var train = ImageDataset.Synthetic(count, channels, size, classes, seed: 1);
        var test = ImageDataset.Synthetic(Math.Max(1, count / 5), channels, size, classes, seed: 2);
        return (train, test);
    }
}
