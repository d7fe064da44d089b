using System.Globalization;
using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Presentation;

/// <summary>
/// Progress as one plain line per epoch and event, for output that is not an interactive terminal (CI, logs).
/// </summary>
internal sealed class LineProgressSink(TextWriter output) : IProgressSink
{
    private readonly Lock gate = new();

    /// <inheritdoc/>
    public ITrainingObserver ForRun(string label, long totalSteps, int epochs) =>
        new Observer(this, label, totalSteps, epochs);

    /// <inheritdoc/>
    public void Stage(string label, string stage) => Line($"{label}: {stage}");

    private void Line(string text)
    {
        lock (gate)
        {
            output.WriteLine(text);
        }
    }

    private sealed class Observer(LineProgressSink sink, string label, long totalSteps, int epochs) : ITrainingObserver
    {
        private long globalStep;

        public void OnStep(StepRecord step) => globalStep = step.GlobalStep;

        public void OnEpoch(EpochRecord epoch) => sink.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: epoch {epoch.Epoch + 1}/{epochs}  step {globalStep}/{totalSteps}  {epoch.Phase}  " +
            $"loss {epoch.TrainLoss:F4}  accuracy {epoch.TrainAccuracy * 100:F2}%  lr {epoch.LearningRate:G4}  " +
            $"{epoch.Seconds:F1} s"));

        public void OnRelease(int epoch) => sink.Line($"{label}: members released before epoch {epoch + 1}");

        public void OnCheckpoint(long globalStep, string directory)
        {
        }

        public void OnResume(long globalStep, string directory)
        {
            this.globalStep = globalStep;
            sink.Line($"{label}: resumed after step {globalStep}/{totalSteps} from {directory}");
        }
    }
}
