using System.Collections;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace LatePhaseDist.Cli;

/// <summary>What the commands talk to: the console, the error stream, the environment and the loggers.</summary>
internal sealed class CliContext
{
    /// <summary>Where tables, progress and results go (standard output).</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Where help and parser messages go (standard output).</summary>
    public required TextWriter Output { get; init; }

    /// <summary>Where error messages go (standard error).</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Environment variables (for <c>LATEPHASE__...</c> overrides).</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Creates the logger factory of a command; the flag is --verbose.</summary>
    public required Func<bool, ILoggerFactory> CreateLoggerFactory { get; init; }

    /// <summary>Cancelled by Ctrl+C.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Whether the console can show live progress bars.</summary>
    public bool Interactive => Console.Profile.Capabilities.Interactive;

    /// <summary>
    /// The context of the real process: the terminal, its environment, console logging to standard error.
    /// </summary>
    public static CliContext ForProcess(CancellationToken cancellation)
    {
        IAnsiConsole console = AnsiConsole.Console;
        bool interactive = console.Profile.Capabilities.Interactive;
        return new CliContext
        {
            Console = console,
            Output = System.Console.Out,
            Error = System.Console.Error,
            Environment = System.Environment.GetEnvironmentVariables()
                .Cast<DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? ""),
            CreateLoggerFactory = verbose => LoggerFactory.Create(builder => builder
                // Live progress bars are redrawn in place, so an interactive run logs only warnings unless --verbose.
                .SetMinimumLevel(verbose ? LogLevel.Debug : interactive ? LogLevel.Warning : LogLevel.Information)
                .AddFilter("LatePhaseDist.Core", verbose ? LogLevel.Debug : LogLevel.Warning)
                .AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                })
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)),
            Cancellation = cancellation,
        };
    }
}
