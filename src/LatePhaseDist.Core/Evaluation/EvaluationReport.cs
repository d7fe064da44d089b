namespace LatePhaseDist.Core.Evaluation;

/// <summary>The evaluation of a late-phase run on one data set.</summary>
/// <param name="Merged">The merged network; null when none was given.</param>
/// <param name="Members">
/// Each member k in order (member k active in every late-phase layer); a single entry for a plain network or before
/// the members are released.
/// </param>
/// <param name="Ensemble">
/// The K-member prediction ensemble (mean of the members' softmax probabilities); null for a plain network or before
/// release.
/// </param>
public sealed record EvaluationReport(
    ClassificationMetrics? Merged,
    IReadOnlyList<ClassificationMetrics> Members,
    ClassificationMetrics? Ensemble);
