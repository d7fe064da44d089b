using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;

namespace LatePhaseDist.Cli.Runs;

/// <summary>Logs the events of one training run that matter after the fact (not every step).</summary>
internal sealed class LoggingObserver(ILogger logger, string label) : ITrainingObserver
{
    /// <inheritdoc/>
    public void OnStep(StepRecord step)
    {
    }

    /// <inheritdoc/>
    public void OnEpoch(EpochRecord epoch) =>
        CliLog.EpochFinished(logger, epoch.Epoch, label, epoch.TrainLoss, epoch.TrainAccuracy, epoch.Seconds);

    /// <inheritdoc/>
    public void OnRelease(int epoch) => CliLog.Released(logger, label, epoch);

    /// <inheritdoc/>
    public void OnCheckpoint(long globalStep, string directory) =>
        CliLog.CheckpointCommitted(logger, label, globalStep, directory);

    /// <inheritdoc/>
    public void OnResume(long globalStep, string directory) => CliLog.Resumed(logger, label, globalStep, directory);
}
