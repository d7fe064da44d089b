using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Core.Tests.Training;

internal sealed class RecordingObserver : ITrainingObserver
{
    public List<StepRecord> Steps { get; } = [];

    public List<EpochRecord> Epochs { get; } = [];

    public List<int> Releases { get; } = [];

    public List<long> Checkpoints { get; } = [];

    public List<long> Resumes { get; } = [];

    public Action<StepRecord>? OnStepCallback { get; init; }

    public Action<EpochRecord>? OnEpochCallback { get; init; }

    public void OnStep(StepRecord step)
    {
        Steps.Add(step);
        OnStepCallback?.Invoke(step);
    }

    public void OnEpoch(EpochRecord epoch)
    {
        Epochs.Add(epoch);
        OnEpochCallback?.Invoke(epoch);
    }

    public void OnRelease(int epoch) => Releases.Add(epoch);

    public void OnCheckpoint(long globalStep, string directory) => Checkpoints.Add(globalStep);

    public void OnResume(long globalStep, string directory) => Resumes.Add(globalStep);
}
