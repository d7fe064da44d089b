namespace LatePhaseDist.Cli.Tests;

/// <summary>What one run of the program did.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error);
