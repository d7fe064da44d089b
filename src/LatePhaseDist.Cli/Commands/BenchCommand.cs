using System.CommandLine;
using System.Globalization;
using LatePhaseDist.Cli.Benchmarks;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Core;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace LatePhaseDist.Cli.Commands;

/// <summary><c>latephase bench step-overhead</c>: the per-step cost of late-phase BN training relative to plain training.</summary>
internal static class BenchCommand
{
    /// <summary>The <c>bench</c> command with its sub-commands.</summary>
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var model = new Option<string>("--model") { Description = "resnet, wrn or mlp.", DefaultValueFactory = _ => "resnet" };
        var depth = new Option<int>("--depth") { Description = "Network depth (0: the kind's default).", DefaultValueFactory = _ => 8 };
        var width = new Option<int>("--width") { Description = "Base width or widen factor (0: default).", DefaultValueFactory = _ => 16 };
        var data = new Option<string>("--data")
        {
            Description = "Synthetic data shape: synthetic-28, synthetic-32 or synthetic-32-100.",
            DefaultValueFactory = _ => "synthetic-28",
        };
        var batch = new Option<int>("--batch") { Description = "Minibatch size.", DefaultValueFactory = _ => 128 };
        var members = new Option<int>("--members") { Description = "Late-phase members K.", DefaultValueFactory = _ => 10 };
        var steps = new Option<int>("--steps")
        {
            Description = "Minibatches per timed block and variant (rounded up to whole cycles of K).",
            DefaultValueFactory = _ => 40,
        };
        var blocks = new Option<int>("--blocks") { Description = "Timed blocks per variant.", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads") { Description = "Torch threads (0: every core).", DefaultValueFactory = _ => 0 };
        var stepOverhead = new Command(
            "step-overhead",
            "Time late-phase BN training steps (K members, after release) against plain training of the same network " +
            "and batch, in interleaved blocks, and print the ratio.")
        {
            model, depth, width, data, batch, members, steps, blocks, threads,
        };
        stepOverhead.SetAction(parse => CliApp.Execute(context, parse.GetValue(verbose), logs =>
        {
            DataShape shape = DataShape.Of(parse.GetValue(data)!) is { } s && DataShape.IsSynthetic(parse.GetValue(data)!)
                ? s
                : throw new OptionException("--data", parse.GetValue(data), "synthetic-28, synthetic-32 or synthetic-32-100");
            var spec = new ModelSpec(
                parse.GetValue(model)!, shape.Channels, shape.Size, shape.Classes, parse.GetValue(depth),
                parse.GetValue(width));
            var options = new StepOverheadOptions(
                spec, parse.GetValue(data)!, parse.GetValue(batch), parse.GetValue(members), parse.GetValue(steps),
                parse.GetValue(blocks), parse.GetValue(threads));
            return Run(context, logs, options);
        }));
        return new Command("bench", "Benchmarks.") { stepOverhead };
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
        StepOverheadResult result = TrainingThread.Run(options.Threads, () => StepOverheadBenchmark.Run(options, logger));
        Print(context.Console, options, result);
        return ExitCodes.Ok;
    }

    private static void Print(IAnsiConsole console, StepOverheadOptions options, StepOverheadResult result)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.Caption(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Model.Kind}-{options.Model.ResolvedDepth}-{options.Model.ResolvedWidth} on {options.Data}, " +
            $"{result.Parameters} parameters, batch {options.BatchSize}, {result.Threads} threads")));
        table.AddColumn("variant");
        table.AddColumn(new TableColumn("mean ms / minibatch").RightAligned());
        table.AddColumn(new TableColumn("median ms / minibatch").RightAligned());
        table.AddColumn(new TableColumn("minibatches timed").RightAligned());
        foreach (StepTiming timing in new[] { result.Plain, result.LatePhase })
        {
            table.AddRow(
                Markup.Escape(timing.Variant), F(timing.MeanMs, "F2"), F(timing.MedianMs, "F2"),
                timing.Minibatches.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.WriteLine(
            $"late-phase / plain: {F(result.MeanRatio, "F3")} (mean), {F(result.MedianRatio, "F3")} (median)",
            Style.Plain);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
