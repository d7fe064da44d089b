using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Training;

[CollectionDefinition(nameof(SoakTests), DisableParallelization = true)]
public sealed class SoakTestsCollection;

// Alone in a collection without parallelism: the live-tensor count is process-wide.
[Collection(nameof(SoakTests))]
public sealed class SoakTests
{
    [Fact]
    public void Trainer_LongRun_KeepsLiveTensorCountFlat()
    {
        using var scope = NewDisposeScope();
        using ImageDataset data = TrainingFixture.Data(count: 256);
        LatePhaseModel model = TrainingFixture.Model(members: 4);
        var counts = new List<long>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var epochEnds = new List<long>();
        var observer = new RecordingObserver
        {
            OnStepCallback = _ => counts.Add(Tensor.TotalCount),
            OnEpochCallback = _ => epochEnds.Add(Tensor.TotalCount),
        };
        var options = TrainingFixture.Options(epochs: 8, release: 2) with { CheckpointEverySteps = 10 };

        TrainingFixture.Train(model, data, options, checkpoints: TrainingFixture.TempDirectory(), observer: observer);

        // 2 tied epochs of 64 steps, then 6 released epochs of 16 cycles: the last 5 epochs hold no new state.
        Assert.Equal(2 * 64 + 6 * 16, counts.Count);
        long[] steady = counts.Skip(2 * 64 + 16).ToArray();
        // The loader holds up to 4 prefetched batches (2 tensors each) plus the one it builds; nothing else may vary.
        Assert.True(
            steady.Max() - steady.Min() <= 12,
            $"live tensors ranged {steady.Min()}..{steady.Max()} over the last {steady.Length} steps: " +
            string.Join(",", steady));
        Assert.Single(epochEnds.Skip(3).Distinct());
    }
}
