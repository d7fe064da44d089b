using System.CommandLine;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Cli.Presentation;
using LatePhaseDist.Cli.Runs;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;

namespace LatePhaseDist.Cli.Commands;

/// <summary>
/// <c>latephase eval --run DIR</c>: evaluates a trained run directory again on its test set — the merged (or plain)
/// network and the baseline from their saved files, members and ensemble from the newest checkpoint — and prints the
/// results table. It writes nothing.
/// </summary>
internal static class EvalCommand
{
    /// <summary>The command and its options.</summary>
    public static Command Create(CliContext context, Option<bool> verbose)
    {
        var run = new Option<string>("--run", "-r")
        {
            Description = "The run directory that `latephase train` wrote.",
            HelpName = "DIR",
            Required = true,
        };
        var command = new Command("eval", "Evaluate a trained run: merged network, members, ensemble, baseline.")
        {
            run,
        };
        command.SetAction(parse => CliApp.Execute(
            context, parse.GetValue(verbose), logs => Run(context, logs, parse.GetValue(run)!)));
        return command;
    }

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(CliContext context, ILoggerFactory logs, string runDirectory)
    {
        var layout = new RunLayout(runDirectory);
        if (!File.Exists(layout.ResolvedConfig))
        {
            throw new ConfigException(
                "--run", $"{layout.Root} is not a run directory: it has no config.resolved.json.");
        }

        RunConfig saved = ConfigLoader.ReadResolved(layout.ResolvedConfig);
        ResolvedConfig config = ConfigResolver.Resolve(saved with { Output = layout.Root }, saved.Name ?? "run");
        using RunWorkspace workspace = RunWorkspace.Open(config, layout, logs);
        RunResults results = TrainingThread.Run(config.Config.Training.Threads, () => RunPipeline.Evaluate(workspace));
        ResultsWriter.Print(context.Console, results);
        return ExitCodes.Ok;
    }
}
