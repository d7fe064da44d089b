using System.Runtime.Versioning;
using LatePhaseDist.Cli.Bench;
using Spectre.Console;

namespace LatePhaseDist.Cli.Tests.Bench;

/// <summary>
/// <c>bench pytorch</c> with tiny settings. They need Debian's /usr/bin/python3 with python3-torch and fail without
/// it. Timings are noisy on shared cores, so nothing here asserts how fast either side is.
/// </summary>
public sealed class PyTorchComparisonTests : IDisposable
{
    private static readonly string Script = Path.Combine(CliRunner.RepositoryRoot, "bench", "pytorch_step.py");

    private static readonly string[] TinyArguments =
    [
        "--threads", "1", "--batch", "8", "--blocks", "2", "--steps-per-block", "2", "--warmup", "1",
        "--depth", "8", "--width", "4", "--script", Script,
    ];

    private readonly TempDirectory temp = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();
    private readonly IAnsiConsole console;

    public PyTorchComparisonTests()
    {
        console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 160;
    }

    [Fact]
    public void Run_TinyNetwork_ReportsEqualParameterCountsAndAFinitePositiveRatio()
    {
        var options = new PyTorchComparisonOptions(
            Depth: 8, Width: 4, BatchSize: 8, Threads: 1, Blocks: 2, StepsPerBlock: 2, WarmupSteps: 1, Script: Script);

        PyTorchComparisonResult result = PyTorchComparison.Run(options, console);

        Assert.True(result.OursParameters > 0);
        Assert.Equal(result.OursParameters, result.PyTorchParameters);
        Assert.True(double.IsFinite(result.Ratio) && result.Ratio > 0, $"ratio {result.Ratio}");
        Assert.Equal(2, result.Blocks.Count);
        Assert.All(result.Blocks, b => Assert.Equal(2, b.Steps));
        Assert.Equal(1, result.OursThreads);
        Assert.Equal(1, result.PyTorchThreads);
        Assert.StartsWith("torch 1.13", result.PyTorchVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Command_TinySettings_ExitsWithCode0AndPrintsTheRatio()
    {
        int exitCode = PyTorchComparison.CreateCommand(console, error).Parse(TinyArguments).Invoke();

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("all (4 steps)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("ours ÷ PyTorch, median ms/step:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Command_InterpreterMissing_ExitsWithCode3AndNamesThePackage()
    {
        string[] arguments = [.. TinyArguments, "--python", Path.Combine(temp.Path, "no-such-python3")];

        int exitCode = PyTorchComparison.CreateCommand(console, error).Parse(arguments).Invoke();

        Assert.Equal(5, exitCode);
        Assert.Contains("apt-get install python3-torch", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Command_InterpreterWithoutTorch_ExitsWithCode3AndNamesThePackage()
    {
        // python3 -S skips site, so Debian's dist-packages (where python3-torch lives) is not importable.
        string python = temp.Write("python3-without-site", "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
        File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string[] arguments = [.. TinyArguments, "--python", python];

        int exitCode = PyTorchComparison.CreateCommand(console, error).Parse(arguments).Invoke();

        Assert.Equal(5, exitCode);
        Assert.Contains("cannot import torch", error.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        output.Dispose();
        error.Dispose();
        temp.Dispose();
    }
}
