using LatePhaseDist.Cli.Configuration;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// Where a run directory keeps its files. The main run (late-phase, or plain when late-phase weights are off) lives
/// at the top; the baseline comparison run in <c>baseline/</c>.
/// </summary>
internal sealed class RunLayout(string root)
{
    /// <summary>The run directory.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The config as resolved at the latest start.</summary>
    public string ResolvedConfig => Path.Combine(Root, "config.resolved.json");

    /// <summary>The results table in Markdown.</summary>
    public string ResultsMarkdown => Path.Combine(Root, "results.md");

    /// <summary>The results as JSON.</summary>
    public string ResultsJson => Path.Combine(Root, "results.json");

    /// <summary>The PNG plots.</summary>
    public string Plots => Path.Combine(Root, "plots");

    /// <summary>The merged late-phase network as a plain network (TorchSharp <c>Module.save</c> format).</summary>
    public string MergedModel => Path.Combine(Root, "merged.dat");

    /// <summary>The directory of one training run.</summary>
    public string RunDirectory(RunKind kind) => kind == RunKind.Baseline ? Path.Combine(Root, "baseline") : Root;

    /// <summary>The checkpoints of one training run.</summary>
    public string Checkpoints(RunKind kind) => Path.Combine(RunDirectory(kind), "checkpoints");

    /// <summary>The JSON-lines metrics log of one training run.</summary>
    public string Metrics(RunKind kind) => Path.Combine(RunDirectory(kind), "metrics.jsonl");

    /// <summary>The trained plain network of a plain or baseline run.</summary>
    public string PlainModel(RunKind kind) => Path.Combine(RunDirectory(kind), "model.dat");

    /// <summary>The file the run's final network is saved to.</summary>
    public string FinalModel(RunKind kind) => kind == RunKind.LatePhase ? MergedModel : PlainModel(kind);

    /// <summary>How a run is named in tables, plots and logs.</summary>
    public static string Label(RunKind kind) => kind switch
    {
        RunKind.LatePhase => "late-phase",
        RunKind.Baseline => "baseline",
        _ => "plain",
    };
}
