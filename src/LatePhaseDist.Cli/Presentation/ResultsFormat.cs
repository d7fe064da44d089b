using System.Globalization;
using LatePhaseDist.Cli.Runs;
using LatePhaseDist.Core.Evaluation;

namespace LatePhaseDist.Cli.Presentation;

/// <summary>How result numbers are written: accuracy in percent, NLL in nats, ECE as a fraction (15 bins).</summary>
internal static class ResultsFormat
{
    /// <summary>Column headers.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["network", "accuracy (%)", "NLL", "ECE"];

    /// <summary>The three metric cells of one network.</summary>
    public static IReadOnlyList<string> Cells(ClassificationMetrics metrics) =>
    [
        Format(metrics.Accuracy * 100, "F2"),
        Format(metrics.Nll, "F4"),
        Format(metrics.Ece, "F4"),
    ];

    /// <summary>One line saying what the numbers are.</summary>
    public static string Caption(RunResults results, long samples) => string.Create(
        CultureInfo.InvariantCulture,
        $"{results.Name}: test set {results.Dataset} ({samples} samples); NLL in nats; " +
        $"ECE over {ClassificationAccumulator.BinCount} equal-width confidence bins");

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
