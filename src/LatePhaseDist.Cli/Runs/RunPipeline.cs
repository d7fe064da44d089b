using System.Diagnostics;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Cli.Presentation;
using LatePhaseDist.Core.Evaluation;
using LatePhaseDist.Core.LatePhase;
using static TorchSharp.torch;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// The stages of a run directory after its config is resolved: train (baseline first, then the main run), merge,
/// save, and evaluate on the test set. Call on the training thread.
/// </summary>
internal static class RunPipeline
{
    /// <summary>Trains (or resumes) every run of the directory, saves the final networks and evaluates them.</summary>
    public static RunResults Train(RunWorkspace workspace, IProgressSink progress, CancellationToken cancellation)
    {
        ClassificationMetrics? baseline = null;
        if (workspace.Config.Config.Baseline)
        {
            baseline = TrainPlain(workspace, RunKind.Baseline, progress, cancellation);
        }

        RunKind main = workspace.Config.MainKind;
        if (main == RunKind.Plain)
        {
            return Results(workspace, baseline, TrainPlain(workspace, main, progress, cancellation), null);
        }

        string label = RunLayout.Label(main);
        LatePhaseModel model = TrainingSession.Train(workspace, main, progress, cancellation);
        using nn.Module<Tensor, Tensor> network = model.Network;
        progress.Stage(label, "merging");
        using (nn.Module<Tensor, Tensor> merged = Merger.Merge(workspace, model))
        {
            NetworkFiles.Save(merged, workspace.Layout.MergedModel);
        }

        CliLog.Merged(
            workspace.Logger, model.MemberCount, Merger.Name(workspace.Config.Config.LatePhase.Merge),
            workspace.Layout.MergedModel);
        progress.Stage(label, "evaluating");
        EvaluationReport report = EvaluateLatePhase(workspace, model);
        progress.Stage(label, "done");
        return Results(workspace, baseline, null, report);
    }

    /// <summary>
    /// Evaluates the saved networks of a trained run directory: the merged (or plain) network and the baseline from
    /// their files, and members and ensemble from the newest checkpoint when it is from the end of training.
    /// </summary>
    public static RunResults Evaluate(RunWorkspace workspace)
    {
        RunLayout layout = workspace.Layout;
        ClassificationMetrics? baseline = File.Exists(layout.PlainModel(RunKind.Baseline))
            ? EvaluateSaved(workspace, RunKind.Baseline)
            : null;
        RunKind main = workspace.Config.MainKind;
        RequireFile(layout.FinalModel(main));
        if (main == RunKind.Plain)
        {
            return Results(workspace, baseline, EvaluateSaved(workspace, main), null);
        }

        LatePhaseModel? model = TrainingSession.RestoreFinished(workspace, main);
        if (model is null)
        {
            ClassificationMetrics merged = EvaluateSaved(workspace, main);
            return Results(workspace, baseline, null, new EvaluationReport(merged, [], null));
        }

        using nn.Module<Tensor, Tensor> network = model.Network;
        return Results(workspace, baseline, null, EvaluateLatePhase(workspace, model));
    }

    private static ClassificationMetrics TrainPlain(
        RunWorkspace workspace, RunKind kind, IProgressSink progress, CancellationToken cancellation)
    {
        string label = RunLayout.Label(kind);
        LatePhaseModel model = TrainingSession.Train(workspace, kind, progress, cancellation);
        using (nn.Module<Tensor, Tensor> network = model.Network)
        {
            NetworkFiles.Save(network, workspace.Layout.PlainModel(kind));
        }

        progress.Stage(label, "evaluating");
        ClassificationMetrics metrics = EvaluateSaved(workspace, kind);
        progress.Stage(label, "done");
        return metrics;
    }

    // The saved file is what is evaluated, so the reported numbers are those of the network a user loads.
    private static ClassificationMetrics EvaluateSaved(RunWorkspace workspace, RunKind kind)
    {
        var clock = Stopwatch.StartNew();
        using nn.Module<Tensor, Tensor> network =
            NetworkFiles.Load(workspace.Config.Model, workspace.Layout.FinalModel(kind));
        ClassificationMetrics metrics = Evaluator.Evaluate(network, TestBatches(workspace));
        CliLog.Evaluated(workspace.Logger, RunLayout.Label(kind), metrics.Count, clock.ElapsedMilliseconds);
        return metrics;
    }

    private static EvaluationReport EvaluateLatePhase(RunWorkspace workspace, LatePhaseModel model)
    {
        var clock = Stopwatch.StartNew();
        using nn.Module<Tensor, Tensor> merged =
            NetworkFiles.Load(workspace.Config.Model, workspace.Layout.MergedModel);
        EvaluationReport report = Evaluator.EvaluateLatePhase(model, merged, () => TestBatches(workspace));
        CliLog.Evaluated(
            workspace.Logger, RunLayout.Label(RunKind.LatePhase), report.Merged?.Count ?? 0, clock.ElapsedMilliseconds);
        return report;
    }

    private static IEnumerable<(Tensor Inputs, Tensor Targets)> TestBatches(RunWorkspace workspace) =>
        DataBatches.Labelled(
            workspace.Test, workspace.Config.Augmentation, workspace.Config.Config.Evaluation.BatchSize);

    private static RunResults Results(
        RunWorkspace workspace,
        ClassificationMetrics? baseline,
        ClassificationMetrics? plain,
        EvaluationReport? report)
    {
        RunConfig config = workspace.Config.Config;
        bool released = report?.Ensemble is not null;
        return new RunResults(
            config.Name!,
            workspace.Test.Name,
            report is null ? null : Merger.Name(config.LatePhase.Merge),
            baseline,
            plain,
            report?.Merged,
            released ? report!.Members : [],
            report?.Ensemble);
    }

    private static void RequireFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException(
                "--run", $"{path} does not exist: the run has not finished training. Run `latephase train` first.");
        }
    }
}
