using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// Passes every training event to several observers, in order; observers may be added before training starts.
/// </summary>
internal sealed class CompositeObserver(params ITrainingObserver[] initial) : ITrainingObserver
{
    private readonly List<ITrainingObserver> observers = [.. initial];

    /// <summary>Adds an observer after the ones already there.</summary>
    public void Add(ITrainingObserver observer) => observers.Add(observer);

    /// <inheritdoc/>
    public void OnStep(StepRecord step) => observers.ForEach(o => o.OnStep(step));

    /// <inheritdoc/>
    public void OnEpoch(EpochRecord epoch) => observers.ForEach(o => o.OnEpoch(epoch));

    /// <inheritdoc/>
    public void OnRelease(int epoch) => observers.ForEach(o => o.OnRelease(epoch));

    /// <inheritdoc/>
    public void OnCheckpoint(long globalStep, string directory) =>
        observers.ForEach(o => o.OnCheckpoint(globalStep, directory));

    /// <inheritdoc/>
    public void OnResume(long globalStep, string directory) =>
        observers.ForEach(o => o.OnResume(globalStep, directory));
}
