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
/// <param name="Ensemble">
/// The members' prediction ensemble; null when the members are unknown or were never released.
/// </param>
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
    /// <summary>The rows of the results table, in order.</summary>
    public IReadOnlyList<ResultRow> Rows()
    {
        var rows = new List<ResultRow>();
        if (Baseline is not null)
        {
            rows.Add(new ResultRow("baseline", Baseline));
        }

        if (Plain is not null)
        {
            rows.Add(new ResultRow("plain", Plain));
        }

        if (Merged is not null)
        {
            rows.Add(new ResultRow($"late-phase merged ({MergePolicy})", Merged));
        }

        if (Members.Count > 1)
        {
            // Each column's own mean, minimum and maximum over the members (not the figures of one member).
            long count = Members[0].Count;
            rows.Add(new ResultRow("members: mean", Aggregate(Members, Enumerable.Average, count)));
            rows.Add(new ResultRow("members: min", Aggregate(Members, Enumerable.Min, count)));
            rows.Add(new ResultRow("members: max", Aggregate(Members, Enumerable.Max, count)));
        }

        if (Ensemble is not null)
        {
            rows.Add(new ResultRow($"ensemble (K = {Members.Count})", Ensemble));
        }

        return rows;
    }

    private static ClassificationMetrics Aggregate(
        IReadOnlyList<ClassificationMetrics> members, Func<IEnumerable<double>, double> aggregate, long count) =>
        new(
            aggregate(members.Select(m => m.Accuracy)),
            aggregate(members.Select(m => m.Nll)),
            aggregate(members.Select(m => m.Ece)),
            count);
}
