using System.CommandLine;
using System.Text.Json;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Cli.Presentation;
using LatePhaseDist.Cli.Runs;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace LatePhaseDist.Cli.Commands;

/// <summary>
/// <c>latephase train --config FILE [--set key=value]... [--output DIR]</c>: trains the baseline (when configured) and
/// the late-phase run, merges, evaluates and writes the run directory. Re-running it resumes from the newest
/// checkpoints; a finished run is not retrained, only merged and evaluated again.
/// </summary>
internal static class TrainCommand
{
    /// <summary>The command and its options.</summary>
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "The experiment config (JSON), e.g. configs/fashion-mnist-demo.json.",
            HelpName = "FILE",
            Required = true,
        };
        var set = new Option<string[]>("--set")
        {
            HelpName = "key=value",
            Description = "Override a config key, e.g. --set training.epochs=2 " +
                "--set training.schedule.milestones=[3,5]. The value is read as JSON, otherwise as a string. " +
                "Applied after LATEPHASE__SECTION__KEY environment variables.",
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The run directory (default: the config's output, or runs/<name>).",
            HelpName = "DIR",
        };
        var command = new Command("train", "Train, merge and evaluate a run; re-running resumes it.")
        {
            config, set, output,
        };
        command.SetAction(parse => CliApp.Execute(
            context,
            parse.GetValue(verbose),
            logs => Run(context, logs, parse.GetValue(config)!, parse.GetValue(set) ?? [], parse.GetValue(output))));
        return command;
    }

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(
        CliContext context, ILoggerFactory logs, string configPath, IReadOnlyList<string> sets, string? output)
    {
        ResolvedConfig config = ConfigLoader.Load(configPath, sets, context.Environment, output);
        var layout = new RunLayout(config.RunDirectory);
        RunDirectoryGuard.Check(layout, config);

        Directory.CreateDirectory(layout.Root);
        File.WriteAllText(layout.ResolvedConfig, JsonSerializer.Serialize(config.Config, ConfigJson.Options));

        using RunWorkspace workspace = RunWorkspace.Open(config, layout, logs);
        CliLog.RunStarting(
            workspace.Logger, config.Config.Name!, layout.Root, ConfigHash.Compute(config.Config, config.MainKind));

        List<RunKind> runs = config.Config.Baseline ? [RunKind.Baseline, config.MainKind] : [config.MainKind];
        var labels = runs.Select(RunLayout.Label).ToList();

        int threads = config.Config.Training.Threads;
        RunResults results = context.Interactive
            ? SpectreProgressSink.Run(context.Console, labels, sink =>
                TrainingThread.Run(threads, () => RunPipeline.Train(workspace, sink, context.Cancellation)))
            : TrainingThread.Run(threads, () =>
                RunPipeline.Train(workspace, new LineProgressSink(context.Output), context.Cancellation));

        ResultsWriter.Save(layout, results);
        PlotWriter.Write(
            layout.Plots, runs.Select(k => (RunLayout.Label(k), MetricsLog.ReadEpochs(layout.Metrics(k)))).ToList());
        CliLog.Wrote(workspace.Logger, layout.ResultsMarkdown);

        ResultsWriter.Print(context.Console, results);
        context.Console.WriteLine($"Run directory: {layout.Root}", Style.Plain);
        return ExitCodes.Ok;
    }
}
