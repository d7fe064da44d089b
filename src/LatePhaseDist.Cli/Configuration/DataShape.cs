namespace LatePhaseDist.Cli.Configuration;

/// <summary>The image shape and class count of a data set kind, known before its files are read.</summary>
internal sealed record DataShape(int Channels, int Size, int Classes)
{
    /// <summary>
    /// The shape of <paramref name="kind"/>, or null for a kind <see cref="Core.Data.DatasetSource"/> does not know.
    /// </summary>
    public static DataShape? Of(string kind) => kind switch
    {
        "fashion-mnist" or "mnist" or "synthetic-28" => new(1, 28, 10),
        "cifar10" or "synthetic-32" => new(3, 32, 10),
        "cifar100" or "synthetic-32-100" => new(3, 32, 100),
        _ => null,
    };

    /// <summary>The synthetic kind with this shape (what tests and benchmarks substitute for real data).</summary>
    public string SyntheticKind => (Channels, Size, Classes) switch
    {
        (1, 28, 10) => "synthetic-28",
        (3, 32, 10) => "synthetic-32",
        (3, 32, 100) => "synthetic-32-100",
        _ => throw new InvalidOperationException($"No synthetic data set has the shape {this}."),
    };

    /// <summary>True for kinds generated in memory.</summary>
    public static bool IsSynthetic(string kind) => kind.StartsWith("synthetic-", StringComparison.Ordinal);
}
