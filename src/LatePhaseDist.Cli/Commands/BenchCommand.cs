using System.CommandLine;
using System.Globalization;
using LatePhaseDist.Cli.Bench;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Core;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace LatePhaseDist.Cli.Commands;

/// <summary>
/// <c>latephase bench step-overhead</c>: the per-step cost of late-phase BN training relative to plain training.
/// </summary>
internal static class BenchCommand
{
    /// <summary>The <c>bench</c> command with its sub-commands.</summary>
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        Option<string> model = Option("--model", "resnet, wrn or mlp.", "resnet");
        Option<int> depth = Option("--depth", "Network depth (0: the kind's default).", 8);
        Option<int> width = Option("--width", "Base width or widen factor (0: the kind's default).", 16);
        Option<string> data = Option(
            "--data", "Synthetic data shape: synthetic-28, synthetic-32 or synthetic-32-100.", "synthetic-28");
        Option<int> batch = Option("--batch", "Minibatch size.", 128);
        Option<int> members = Option("--members", "Late-phase members K.", 10);
        Option<int> steps = Option(
            "--steps", "Minibatches per timed block and variant (rounded up to whole cycles of K).", 40);
        Option<int> blocks = Option("--blocks", "Timed blocks per variant.", 4);
        Option<int> threads = Option("--threads", "Torch threads (0: every core).", 0);
        var stepOverhead = new Command(
            "step-overhead",
            "Time late-phase BN training steps (K members, after release) against plain training of the same network " +
            "and batch, in interleaved blocks, and print the ratio.")
        {
            model, depth, width, data, batch, members, steps, blocks, threads,
        };
        stepOverhead.SetAction(parse => CliApp.Execute(context, parse.GetValue(verbose), logs =>
        {
            string kind = parse.GetValue(data)!;
            DataShape shape = DataShape.IsSynthetic(kind) && DataShape.Of(kind) is { } known
                ? known
                : throw new OptionException("--data", kind, "synthetic-28, synthetic-32 or synthetic-32-100");
            var spec = new ModelSpec(
                parse.GetValue(model)!, shape.Channels, shape.Size, shape.Classes, parse.GetValue(depth),
                parse.GetValue(width));
            var options = new StepOverheadOptions(
                spec, kind, parse.GetValue(batch), parse.GetValue(members), parse.GetValue(steps),
                parse.GetValue(blocks), parse.GetValue(threads));
            return Run(context, logs, options);
        }));
        return new Command("bench", "Benchmarks.")
        {
            stepOverhead,
            PyTorchComparison.CreateCommand(context.Console, context.Error),
        };
    }

    /// <summary>Validates the settings, runs the benchmark and prints its table; returns the exit code.</summary>
    public static int Run(CliContext context, ILoggerFactory logs, StepOverheadOptions options)
    {
        try
        {
            options.Model.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ConfigException("--model", ex.Message);
        }

        OptionException.Require(options.BatchSize >= 1, "--batch", options.BatchSize, "an integer >= 1");
        OptionException.Require(options.Members >= 1, "--members", options.Members, "an integer >= 1");
        OptionException.Require(options.Minibatches >= 1, "--steps", options.Minibatches, "an integer >= 1");
        OptionException.Require(options.Blocks >= 1, "--blocks", options.Blocks, "an integer >= 1");
        OptionException.Require(options.Threads >= 0, "--threads", options.Threads, "0 (every core) or a thread count");

        ILogger logger = logs.CreateLogger("LatePhaseDist.Cli.Bench");
        context.Console.WriteLine(
            $"Timing {options.Blocks} blocks of each variant after a warm-up block; this takes a while.", Style.Plain);
        StepOverheadResult result =
            TrainingThread.Run(options.Threads, () => StepOverheadBenchmark.Run(options, logger));
        Print(context.Console, options, result);
        return ExitCodes.Ok;
    }

    private static Option<T> Option<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    private static void Print(IAnsiConsole console, StepOverheadOptions options, StepOverheadResult result)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("variant");
        table.AddColumn(new TableColumn("mean (ms)").RightAligned());
        table.AddColumn(new TableColumn("median (ms)").RightAligned());
        table.AddColumn(new TableColumn("minibatches").RightAligned());
        foreach (StepTiming timing in new[] { result.Plain, result.LatePhase })
        {
            table.AddRow(
                Markup.Escape(timing.Variant), F(timing.MeanMs, "F2"), F(timing.MedianMs, "F2"),
                timing.Minibatches.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"Time per minibatch; {options.Model.Kind}-{options.Model.ResolvedDepth}-" +
                $"{options.Model.ResolvedWidth} on {options.Data}, {result.Parameters} parameters, " +
                $"batch {options.BatchSize}, {result.Threads} threads."),
            Style.Plain);
        console.WriteLine(
            $"late-phase / plain: {F(result.MeanRatio, "F3")} (mean), {F(result.MedianRatio, "F3")} (median)",
            Style.Plain);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
