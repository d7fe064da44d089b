using System.CommandLine;
using LatePhaseDist.Cli.Commands;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Core;
using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;

namespace LatePhaseDist.Cli;

/// <summary>
/// The <c>latephase</c> program: its commands, argument parsing, and the mapping of failures to exit codes.
/// </summary>
internal static class CliApp
{
    /// <summary>
    /// Parses <paramref name="args"/>, runs the command and returns the exit code (see <see cref="ExitCodes"/>).
    /// </summary>
    public static int Run(string[] args, CliContext context)
    {
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Log debug messages and show stack traces of failures.",
            Recursive = true,
        };
        var root = new RootCommand("Trains neural networks with late-phase weights (von Oswald et al., ICLR 2021).")
        {
            verbose,
            TrainCommand.Create(context, verbose),
            EvalCommand.Create(context, verbose),
            BenchCommand.Create(context, verbose),
        };

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                context.Error.WriteLine($"error: {error.Message}");
            }

            context.Error.WriteLine("Run `latephase --help` for the commands and their options.");
            return ExitCodes.BadConfig;
        }

        return parse.Invoke(new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        });
    }

    /// <summary>
    /// Runs a command body with its logger factory and turns its failure into a message and an exit code.
    /// </summary>
    public static int Execute(CliContext context, bool verbose, Func<ILoggerFactory, int> body)
    {
        using ILoggerFactory logs = context.CreateLoggerFactory(verbose);
        try
        {
            return body(logs);
        }
        catch (Exception ex)
        {
            (int code, string message) = Classify(ex, context.Cancellation);
            context.Error.WriteLine($"error: {message}");
            if (verbose)
            {
                context.Error.WriteLine(ex.ToString());
            }
            else if (code == ExitCodes.Failure)
            {
                context.Error.WriteLine("Run again with --verbose for the stack trace.");
            }

            return code;
        }
    }

    private static (int Code, string Message) Classify(Exception ex, CancellationToken cancellation) => ex switch
    {
        ConfigException or OptionException => (ExitCodes.BadConfig, ex.Message),
        DataFormatException => (ExitCodes.DataError, ex.Message),
        NonFiniteLossException => (ExitCodes.NonFinite, ex.Message),
        OperationCanceledException when cancellation.IsCancellationRequested => (
            ExitCodes.Cancelled,
            "Stopped. Run the same command again to resume from the newest checkpoint."),
        _ => (ExitCodes.Failure, ex.Message),
    };
}
