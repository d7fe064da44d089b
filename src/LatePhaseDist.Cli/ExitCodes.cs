namespace LatePhaseDist.Cli;

/// <summary>The program's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>Any failure not listed below.</summary>
    public const int Failure = 1;

    /// <summary>A bad config value, unknown key or bad command-line argument; refused before any work.</summary>
    public const int BadConfig = 2;

    /// <summary>A data file is missing or malformed.</summary>
    public const int DataError = 3;

    /// <summary>Training stopped after too many consecutive non-finite steps.</summary>
    public const int NonFinite = 4;

    /// <summary>A tool a command needs is missing (bench pytorch: Debian's python3-torch).</summary>
    public const int ToolMissing = 5;

    /// <summary>Stopped by Ctrl+C; re-running the command resumes from the newest checkpoint.</summary>
    public const int Cancelled = 130;
}
