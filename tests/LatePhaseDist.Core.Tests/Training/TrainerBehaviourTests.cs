using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Training;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Training;

public sealed class TrainerBehaviourTests
{
    [Fact]
    public void Trainer_MembersHostedElsewhere_StayBitwiseUnchanged()
    {
        using var scope = NewDisposeScope();
        using ImageDataset data = TrainingFixture.Data();
        LatePhaseModel model = TrainingFixture.Model(members: 4);
        var collective = new LoopbackCollective(workers: 2, rank: 0);
        var options = TrainingFixture.Options(epochs: 2, release: 0);
        Dictionary<string, float[]> before = TrainingFixture.Snapshot(model);

        TrainingFixture.Train(model, data, options, collective);

        Dictionary<string, float[]> after = TrainingFixture.Snapshot(model);
        foreach ((string path, LatePhaseLayer _) in model.Layers)
        {
            foreach (int member in new[] { 1, 3 })
            {
                string prefix = $"{path}.members.{member}.";
                Assert.All(before.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)),
                    key => Assert.Equal(before[key], after[key]));
            }

            string hosted = $"{path}.members.2.weight";
            Assert.NotEqual(before[hosted], after[hosted]);
        }
    }

    [Fact]
    public void Trainer_ReleasedEpoch_StepsOncePerCycleAndDropsIncompleteCycle()
    {
        using var scope = NewDisposeScope();
        using ImageDataset data = TrainingFixture.Data(count: 70);
        LatePhaseModel model = TrainingFixture.Model(members: 3);
        var observer = new RecordingObserver();

        TrainingResult result = TrainingFixture.Train(model, data, TrainingFixture.Options(epochs: 2, release: 1),
            observer: observer);

        // 70 samples, batch 4: 17 minibatches. Tied epoch: 17 steps. Released epoch: 5 cycles of 3 (2 dropped).
        Assert.Equal(17 + 5, result.GlobalSteps);
        Assert.Equal(17, observer.Steps.Count(s => s.Phase == "tied"));
        Assert.All(observer.Steps.Where(s => s.Phase == "released"),
            s => Assert.Equal([0, 1, 2], s.Members.Select(m => m.Member)));
        Assert.Equal([1], observer.Releases);
    }

    [Fact]
    public void Trainer_NonFiniteLosses_StopAfterConsecutiveSkipsWithoutCommittingOrMovingStatistics()
    {
        using var scope = NewDisposeScope();
        using ImageDataset data = TrainingFixture.Data();
        LatePhaseModel model = TrainingFixture.Model(members: 2);
        string directory = TrainingFixture.TempDirectory();
        var options = TrainingFixture.Options(epochs: 3, release: 1) with
        {
            MaxConsecutiveSkips = 3,
            CheckpointEverySteps = 1,
            Optimizer = new OptimizerOptions { LearningRate = 1e30, Nesterov = false, Momentum = 0 },
        };
        Dictionary<string, float[]>? lastGood = null;
        var observer = new RecordingObserver
        {
            OnStepCallback = s =>
            {
                if (!s.Skipped)
                {
                    lastGood = model.Network.named_buffers().ToDictionary(
                        b => b.name, b => b.buffer.to(TorchSharp.torch.float32).flatten().data<float>().ToArray());
                }
            },
        };

        var error = Assert.Throws<NonFiniteLossException>(
            () => TrainingFixture.Train(model, data, options, checkpoints: directory, observer: observer));

        Assert.Contains("3 consecutive steps", error.Message, StringComparison.Ordinal);
        StepRecord[] skipped = observer.Steps.Where(s => s.Skipped).ToArray();
        Assert.Equal(3, skipped.Length);
        Assert.All(observer.Checkpoints, step => Assert.True(step < skipped[0].GlobalStep));
        Assert.NotNull(lastGood);
        Assert.All(model.Network.named_buffers(), b => Assert.Equal(
            lastGood![b.name], b.buffer.to(TorchSharp.torch.float32).flatten().data<float>().ToArray()));
    }
}
