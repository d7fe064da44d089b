using Microsoft.Extensions.Logging;

namespace LatePhaseDist.Cli;

/// <summary>The program's log messages (event ids 1000–1099).</summary>
internal static partial class CliLog
{
    [LoggerMessage(1000, LogLevel.Information, "Run {RunName} in {RunDirectory}, config hash {ConfigHash}.")]
    public static partial void RunStarting(ILogger logger, string runName, string runDirectory, string configHash);

    [LoggerMessage(1001, LogLevel.Information,
        "Loaded {DataKind}: {TrainSamples} training and {TestSamples} test samples in {ElapsedMs} ms.")]
    public static partial void DataLoaded(
        ILogger logger, string dataKind, int trainSamples, int testSamples, long elapsedMs);

    [LoggerMessage(1002, LogLevel.Information,
        "Built the {RunLabel} network: {Parameters} parameters, {Members} members, {TotalSteps} steps to train.")]
    public static partial void NetworkBuilt(
        ILogger logger, string runLabel, long parameters, int members, long totalSteps);

    [LoggerMessage(1003, LogLevel.Information, "The {RunLabel} run resumes after step {GlobalStep} from {Directory}.")]
    public static partial void Resumed(ILogger logger, string runLabel, long globalStep, string directory);

    [LoggerMessage(1004, LogLevel.Information, "The {RunLabel} run released its members before epoch {Epoch}.")]
    public static partial void Released(ILogger logger, string runLabel, int epoch);

    [LoggerMessage(
        1005, LogLevel.Debug, "The {RunLabel} run committed a checkpoint after step {GlobalStep} in {Directory}.")]
    public static partial void CheckpointCommitted(ILogger logger, string runLabel, long globalStep, string directory);

    [LoggerMessage(1006, LogLevel.Information,
        "Epoch {Epoch} of the {RunLabel} run: train loss {Loss}, train accuracy {Accuracy}, {ElapsedSeconds} s.")]
    public static partial void EpochFinished(
        ILogger logger, int epoch, string runLabel, double loss, double accuracy, double elapsedSeconds);

    [LoggerMessage(1007, LogLevel.Information, "Merged {Members} members with policy {Policy} into {Path}.")]
    public static partial void Merged(ILogger logger, int members, string policy, string path);

    [LoggerMessage(
        1009, LogLevel.Information, "Evaluated the {RunLabel} run on {TestSamples} test samples in {ElapsedMs} ms.")]
    public static partial void Evaluated(ILogger logger, string runLabel, long testSamples, long elapsedMs);

    [LoggerMessage(1010, LogLevel.Information, "Wrote {Path}.")]
    public static partial void Wrote(ILogger logger, string path);

    [LoggerMessage(1011, LogLevel.Warning,
        "training.releaseEpoch ({ReleaseEpoch}) is not below training.epochs ({Epochs}): the members are never " +
        "released, so the late-phase run trains only the tied copy.")]
    public static partial void NeverReleased(ILogger logger, int releaseEpoch, int epochs);

    [LoggerMessage(1012, LogLevel.Warning,
        "The newest checkpoint of {Directory} is from epoch {Epoch} of {Epochs}; members and ensemble are evaluated " +
        "only for a finished run.")]
    public static partial void CheckpointNotFinal(ILogger logger, string directory, int epoch, int epochs);

    [LoggerMessage(1013, LogLevel.Information,
        "Benchmark block {Block}: {Variant} {MeanMs} ms per minibatch over {Minibatches} minibatches.")]
    public static partial void BenchmarkBlock(
        ILogger logger, int block, string variant, double meanMs, int minibatches);

    [LoggerMessage(1014, LogLevel.Error, "The command failed.")]
    public static partial void CommandFailed(ILogger logger, Exception exception);
}
