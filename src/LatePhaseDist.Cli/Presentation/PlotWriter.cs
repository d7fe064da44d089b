using LatePhaseDist.Core.Training;
using ScottPlot;

namespace LatePhaseDist.Cli.Presentation;

/// <summary>
/// Draws a run directory's PNG plots from the epoch records of its metrics logs: training loss, training accuracy
/// and learning rate per epoch for every run, and each member's distance from the member mean per epoch after T0.
/// A dashed vertical line marks T0 when members were released.
/// </summary>
internal static class PlotWriter
{
    private const int Width = 900;
    private const int Height = 540;

    /// <summary>The files <see cref="Write"/> creates.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["loss.png", "accuracy.png", "learning-rate.png", "member-spread.png"];

    /// <summary>
    /// Writes every plot into <paramref name="directory"/>; <paramref name="runs"/> maps a run label to its epochs.
    /// </summary>
    public static void Write(string directory, IReadOnlyList<(string Label, IReadOnlyList<EpochRecord> Epochs)> runs)
    {
        Directory.CreateDirectory(directory);
        var released = runs.SelectMany(r => r.Epochs).Where(e => e.MemberSpread.Count > 0).ToList();
        int? releaseEpoch = released.Count == 0 ? null : released.Min(e => e.Epoch);
        PerRun(
            directory, "loss.png", "Training loss per epoch", "cross-entropy (nats)", runs, releaseEpoch,
            e => e.TrainLoss);
        PerRun(
            directory, "accuracy.png", "Training accuracy per epoch", "accuracy (%)", runs, releaseEpoch,
            e => e.TrainAccuracy * 100);
        PerRun(
            directory, "learning-rate.png", "Learning rate per epoch", "learning rate", runs, releaseEpoch,
            e => e.LearningRate);
        MemberSpread(directory, released, releaseEpoch);
    }

    private static void PerRun(
        string directory,
        string file,
        string title,
        string yLabel,
        IReadOnlyList<(string Label, IReadOnlyList<EpochRecord> Epochs)> runs,
        int? releaseEpoch,
        Func<EpochRecord, double> value)
    {
        Plot plot = NewPlot(title, yLabel);
        LinePattern[] patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted];
        for (int i = 0; i < runs.Count; i++)
        {
            (string label, IReadOnlyList<EpochRecord> epochs) = runs[i];
            if (epochs.Count == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(epochs.Select(e => e.Epoch + 1.0).ToArray(), epochs.Select(value).ToArray());
            line.LegendText = label;
            line.LinePattern = patterns[i % patterns.Length];
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }

        MarkRelease(plot, releaseEpoch);
        Save(plot, directory, file);
    }

    private static void MemberSpread(string directory, IReadOnlyList<EpochRecord> released, int? releaseEpoch)
    {
        Plot plot = NewPlot("Distance of each member's late-phase weights from the member mean", "L2 distance");
        if (released.Count == 0)
        {
            plot.Add.Annotation(
                "No members were released (training.releaseEpoch >= training.epochs, or no late-phase run).");
        }

        int members = released.Count == 0 ? 0 : released.Max(e => e.MemberSpread.Count);
        for (int k = 0; k < members; k++)
        {
            var points = released.Where(e => e.MemberSpread.Count > k).ToList();
            var line = plot.Add.Scatter(
                points.Select(e => e.Epoch + 1.0).ToArray(), points.Select(e => e.MemberSpread[k]).ToArray());
            line.LegendText = $"member {k}";
            line.MarkerSize = 5;
        }

        MarkRelease(plot, releaseEpoch);
        if (released.Count > 0)
        {
            double top = released.SelectMany(e => e.MemberSpread).DefaultIfEmpty(0).Max();
            plot.Axes.SetLimitsY(0, top > 0 ? top * 1.15 : 1);
        }

        Save(plot, directory, "member-spread.png");
    }

    // Epoch n (1-based on the axis) is the first trained after release at T0 = n - 1 finished epochs.
    private static void MarkRelease(Plot plot, int? releaseEpoch)
    {
        if (releaseEpoch is { } epoch)
        {
            var line = plot.Add.VerticalLine(epoch + 0.5);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Colors.Gray;
            line.LegendText = $"T0 = {epoch}";
        }
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static void Save(Plot plot, string directory, string file)
    {
        if (plot.GetPlottables().Any(p => p is ScottPlot.Plottables.Scatter))
        {
            plot.ShowLegend(Edge.Right);
        }

        plot.SavePng(Path.Combine(directory, file), Width, Height);
    }
}
