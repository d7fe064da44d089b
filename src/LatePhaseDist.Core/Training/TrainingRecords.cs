namespace LatePhaseDist.Core.Training;

/// <summary>One member's (or the tied copy's) share of a global step.</summary>
public sealed record MemberStepRecord(int Member, double Loss, double Accuracy, int Samples);

/// <summary>What one global step did.</summary>
public sealed record StepRecord(
    int Epoch,
    int StepInEpoch,
    long GlobalStep,
    long TotalSteps,
    string Phase,
    double LearningRate,
    IReadOnlyList<MemberStepRecord> Members,
    bool Skipped,
    double Seconds);

/// <summary>Summary of one epoch.</summary>
public sealed record EpochRecord(
    int Epoch,
    string Phase,
    double LearningRate,
    double TrainLoss,
    double TrainAccuracy,
    IReadOnlyList<double> MemberSpread,
    long SkippedSteps,
    double Seconds);

/// <summary>How a training run ended.</summary>
public sealed record TrainingResult(long GlobalSteps, long SkippedSteps, bool Released, long ResumedFromStep);

/// <summary>Receives what the trainer does, on the training thread; implementations must be quick.</summary>
public interface ITrainingObserver
{
    /// <summary>A global step finished (or was skipped).</summary>
    void OnStep(StepRecord step);

    /// <summary>An epoch finished.</summary>
    void OnEpoch(EpochRecord epoch);

    /// <summary>The members were released before <paramref name="epoch"/>.</summary>
    void OnRelease(int epoch);

    /// <summary>A checkpoint was committed after <paramref name="globalStep"/> steps.</summary>
    void OnCheckpoint(long globalStep, string directory);

    /// <summary>Training resumed from a committed checkpoint.</summary>
    void OnResume(long globalStep, string directory);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    /// <summary>The one instance.</summary>
    public static NullTrainingObserver Instance { get; } = new();

    /// <inheritdoc/>
    public void OnStep(StepRecord step)
    {
    }

    /// <inheritdoc/>
    public void OnEpoch(EpochRecord epoch)
    {
    }

    /// <inheritdoc/>
    public void OnRelease(int epoch)
    {
    }

    /// <inheritdoc/>
    public void OnCheckpoint(long globalStep, string directory)
    {
    }

    /// <inheritdoc/>
    public void OnResume(long globalStep, string directory)
    {
    }
}
