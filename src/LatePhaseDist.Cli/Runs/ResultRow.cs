using LatePhaseDist.Core.Evaluation;

namespace LatePhaseDist.Cli.Runs;

/// <summary>One row of the results table.</summary>
internal sealed record ResultRow(string Label, ClassificationMetrics Metrics);
