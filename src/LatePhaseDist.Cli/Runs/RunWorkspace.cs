using System.Diagnostics;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Core.Data;
using Microsoft.Extensions.Logging;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// What every stage of a run needs: the resolved config, the run directory, the data and the loggers.
/// </summary>
internal sealed class RunWorkspace : IDisposable
{
    private RunWorkspace(
        ResolvedConfig config, RunLayout layout, ImageDataset train, ImageDataset test, ILoggerFactory logs)
    {
        (Config, Layout, Train, Test, Logs) = (config, layout, train, test, logs);
        Logger = logs.CreateLogger("LatePhaseDist.Cli");
    }

    /// <summary>The resolved config.</summary>
    public ResolvedConfig Config { get; }

    /// <summary>The run directory's layout.</summary>
    public RunLayout Layout { get; }

    /// <summary>The training set.</summary>
    public ImageDataset Train { get; }

    /// <summary>The test set.</summary>
    public ImageDataset Test { get; }

    /// <summary>Loggers for the run's components.</summary>
    public ILoggerFactory Logs { get; }

    /// <summary>The program's logger.</summary>
    public ILogger Logger { get; }

    /// <summary>Loads the data set of <paramref name="config"/>.</summary>
    /// <exception cref="DataFormatException">The data files are missing or malformed.</exception>
    public static RunWorkspace Open(ResolvedConfig config, RunLayout layout, ILoggerFactory logs)
    {
        DataConfig data = config.Config.Data;
        var clock = Stopwatch.StartNew();
        ImageDataset train;
        ImageDataset test;
        try
        {
            (train, test) = DatasetSource.Load(data.Kind, data.Path, data.SyntheticCount);
        }
        catch (Exception ex)
            when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new DataFormatException(ex.Message, ex);
        }

        var workspace = new RunWorkspace(config, layout, train, test, logs);
        CliLog.DataLoaded(workspace.Logger, data.Kind, train.Count, test.Count, clock.ElapsedMilliseconds);
        return workspace;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
