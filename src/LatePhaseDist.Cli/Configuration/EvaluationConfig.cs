namespace LatePhaseDist.Cli.Configuration;

/// <summary>Test-set evaluation (config section <c>evaluation</c>).</summary>
internal sealed record EvaluationConfig
{
    /// <summary>Samples per evaluation batch; default 500.</summary>
    public int BatchSize { get; init; } = 500;
}
