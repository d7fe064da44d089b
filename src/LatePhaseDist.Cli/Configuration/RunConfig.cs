using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// One experiment as a config file describes it (camelCase JSON keys). <see cref="ConfigLoader"/> reads it, applies
/// environment and <c>--set</c> overrides and validates it; the resolved form is written to the run directory.
/// </summary>
internal sealed record RunConfig
{
    /// <summary>The run's name; default (null) the config file's name without extension.</summary>
    public string? Name { get; init; }

    /// <summary>The data set and its augmentation.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>The network of the model zoo.</summary>
    public ModelConfig Model { get; init; } = new();

    /// <summary>Which layers become late-phase weights, K, and the merge policy.</summary>
    public LatePhaseConfig LatePhase { get; init; } = new();

    /// <summary>The training loop's settings (Core's own options; <c>training.seed</c> also seeds the model).</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>
    /// Also train a plain network (no late-phase layers) with the same seed, data and schedule; default false.
    /// </summary>
    public bool Baseline { get; init; }

    /// <summary>Test-set evaluation settings.</summary>
    public EvaluationConfig Evaluation { get; init; } = new();

    /// <summary>The run directory; default (null) <c>runs/&lt;name&gt;</c> under the current directory.</summary>
    public string? Output { get; init; }
}
