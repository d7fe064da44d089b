using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Training;

/// <summary>Small late-phase problems the trainer tests share.</summary>
internal static class TrainingFixture
{
    public static ImageDataset Data(int count = 64) =>
        ImageDataset.Synthetic(count, channels: 1, size: 8, classes: 4, seed: 5);

    public static LatePhaseModel Model(int members, long seed = 17)
    {
        torch.manual_seed(seed);
        var spec = new ModelSpec("resnet", 1, 8, 4) { Depth = 8, Width = 4 };
        nn.Module<Tensor, Tensor> network = ModelZoo.Create(spec);
        return LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = members });
    }

    public static TrainingOptions Options(int epochs = 3, int release = 1) => new()
    {
        Epochs = epochs,
        BatchSize = 4,
        Seed = 3,
        ReleaseEpoch = release,
        Threads = 1,
        Optimizer = new OptimizerOptions { LearningRate = 0.05 },
        Schedule = new ScheduleOptions { Kind = "cosine" },
    };

    public static TrainingResult Train(
        LatePhaseModel model,
        ImageDataset data,
        TrainingOptions options,
        ICollective? collective = null,
        string? checkpoints = null,
        ITrainingObserver? observer = null,
        CancellationToken cancellation = default) =>
        TrainingThread.Run(options.Threads, () =>
        {
            var store = checkpoints is null ? null : new LatePhaseDist.Core.Checkpoints.CheckpointStore(checkpoints);
            using var trainer = new Trainer(model, data, AugmentationOptions.Plain(1), options,
                collective ?? SingleProcessCollective.Instance, store, "fixture", observer);
            return trainer.Run(cancellation);
        });

    public static Dictionary<string, float[]> Snapshot(LatePhaseModel model) =>
        model.Network.state_dict().ToDictionary(e => e.Key, e => e.Value.to(float32).flatten().data<float>().ToArray());

    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "latephase-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
