using LatePhaseDist.Core.Evaluation;

namespace LatePhaseDist.Cli.Runs;

/// <summary>Test-set results of a run directory: every network it trained, as the results table shows them.</summary>
/// <param name="Name">The run's name.</param>
/// <param name="Dataset">The test set's name.</param>
/// <param name="MergePolicy">"fold" or "recompute"; null without late-phase weights.</param>
/// <param name="Baseline">The baseline network; null when none was trained.</param>
/// <param name="Plain">The main run's network when late-phase weights are off; null otherwise.</param>
/// <param name="Merged">The merged late-phase network; null without late-phase weights.</param>
/// <param name="Members">Every member in order; empty when they are unknown or were never released.</param>
/// <param name="Ensemble">The members' prediction ensemble; null when the members are unknown or never released.</param>
internal sealed record RunResults(
    string Name,
    string Dataset,
    string? MergePolicy,
    ClassificationMetrics? Baseline,
    ClassificationMetrics? Plain,
    ClassificationMetrics? Merged,
    IReadOnlyList<ClassificationMetrics> Members,
    ClassificationMetrics? Ensemble)
{
    /// <summary>The table rows: label and metrics, or a member range row (label, mean, min, max).</summary>
    public IReadOnlyList<ResultRow> Rows()
    {
        var rows = new List<ResultRow>();
        if (Baseline is not null)
        {
            rows.Add(ResultRow.Single("baseline", Baseline));
        }

        if (Plain is not null)
        {
            rows.Add(ResultRow.Single("plain", Plain));
        }

        if (Merged is not null)
        {
            rows.Add(ResultRow.Single($"late-phase merged ({MergePolicy})", Merged));
        }

        if (Members.Count > 1)
        {
            rows.Add(ResultRow.Range($"members (K = {Members.Count}): mean [min, max]", Members));
        }

        if (Ensemble is not null)
        {
            rows.Add(ResultRow.Single($"ensemble of {Members.Count} members", Ensemble));
        }

        return rows;
    }
}

/// <summary>One row of the results table; <see cref="Min"/> and <see cref="Max"/> are set for a range row.</summary>
internal sealed record ResultRow(string Label, ClassificationMetrics Mean, ClassificationMetrics? Min, ClassificationMetrics? Max)
{
    /// <summary>A row of one network.</summary>
    public static ResultRow Single(string label, ClassificationMetrics metrics) => new(label, metrics, null, null);

    /// <summary>A row of several networks: the mean, and the min and max of each column separately.</summary>
    public static ResultRow Range(string label, IReadOnlyList<ClassificationMetrics> metrics) => new(
        label,
        new ClassificationMetrics(
            metrics.Average(m => m.Accuracy), metrics.Average(m => m.Nll), metrics.Average(m => m.Ece), metrics[0].Count),
        new ClassificationMetrics(
            metrics.Min(m => m.Accuracy), metrics.Min(m => m.Nll), metrics.Min(m => m.Ece), metrics[0].Count),
        new ClassificationMetrics(
            metrics.Max(m => m.Accuracy), metrics.Max(m => m.Nll), metrics.Max(m => m.Ece), metrics[0].Count));
}
