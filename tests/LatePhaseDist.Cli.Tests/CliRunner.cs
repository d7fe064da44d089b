using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace LatePhaseDist.Cli.Tests;

/// <summary>Runs the <c>latephase</c> program in-process with captured output and a given environment.</summary>
internal static class CliRunner
{
    /// <summary>The repository root, recorded at build time.</summary>
    public static string RepositoryRoot { get; } = typeof(CliRunner).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The shipped configs directory.</summary>
    public static string ConfigsDirectory => Path.Combine(RepositoryRoot, "configs");

    /// <summary>Runs the program with <paramref name="args"/>; returns its exit code and what it wrote.</summary>
    public static CliResult Run(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 120;
        var context = new CliContext
        {
            Console = console,
            Output = output,
            Error = error,
            Environment = environment ?? new Dictionary<string, string>(),
            CreateLoggerFactory = _ => NullLoggerFactory.Instance,
        };

        int exitCode = CliApp.Run(args, context);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
