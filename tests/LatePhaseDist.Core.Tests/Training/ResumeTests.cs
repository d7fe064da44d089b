using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Training;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Training;

public sealed class ResumeTests
{
    [Theory]
    [InlineData(13, "sgd")]
    [InlineData(16, "sgd")]
    [InlineData(19, "sgd")]
    [InlineData(16, "adam")]
    public void Trainer_StoppedAfterReleaseAndResumed_EndsBitwiseEqualToUninterruptedRun(
        long stopAfterStep, string optimizer)
    {
        using var scope = NewDisposeScope();
        using ImageDataset data = TrainingFixture.Data(count: 48);
        var options = TrainingFixture.Options(epochs: 3, release: 1) with
        {
            CheckpointEverySteps = 2,
            NoiseScale = 0.01,
            Optimizer = new OptimizerOptions { Kind = optimizer, LearningRate = optimizer == "adam" ? 1e-3 : 0.05 },
        };
        LatePhaseModel uninterrupted = TrainingFixture.Model(members: 3);
        TrainingFixture.Train(uninterrupted, data, options, checkpoints: TrainingFixture.TempDirectory());

        string directory = TrainingFixture.TempDirectory();
        using var stop = new CancellationTokenSource();
        var first = new RecordingObserver
        {
            OnStepCallback = s =>
            {
                if (s.GlobalStep == stopAfterStep)
                {
                    stop.Cancel();
                }
            },
        };
        Assert.Throws<OperationCanceledException>(() => TrainingFixture.Train(
            TrainingFixture.Model(members: 3), data, options, checkpoints: directory, observer: first,
            cancellation: stop.Token));
        LatePhaseModel resumed = TrainingFixture.Model(members: 3);
        var second = new RecordingObserver();
        TrainingResult result = TrainingFixture.Train(resumed, data, options, checkpoints: directory, observer: second);

        // Stopping commits the position it stopped at, so nothing trained is lost.
        Assert.Equal(stopAfterStep, first.Checkpoints.Last());
        Assert.Equal(stopAfterStep, result.ResumedFromStep);
        Dictionary<string, float[]> expected = TrainingFixture.Snapshot(uninterrupted);
        Dictionary<string, float[]> actual = TrainingFixture.Snapshot(resumed);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected.Keys, key => Assert.Equal(expected[key], actual[key]));
    }
}
