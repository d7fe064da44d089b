using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LatePhaseDist.Cli.Bench;

/// <summary>
/// Our side of the comparison: Core's real <see cref="Trainer"/> on a plain pre-activation ResNet (no members, one
/// process, no checkpoints, augmentation off), over synthetic data sized for exactly one block of steps, so each
/// <see cref="RunBlock"/> trains one epoch. Step times are the trainer's own (<see cref="StepRecord.Seconds"/>):
/// the wait for the prefetched batch, forward, backward, the non-finite check and the optimizer step. Create, use
/// and dispose it on the training thread (<see cref="TrainingThread"/>).
/// </summary>
internal sealed class TrainerBlocks : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> network;
    private readonly ImageDataset blockData;
    private readonly ImageDataset? warmupData;
    private readonly Trainer trainer;
    private readonly Trainer? warmupTrainer;
    private readonly StepTimes times = new();

    /// <summary>Builds the network (seed 1), the data and the trainers; trains nothing yet.</summary>
    public TrainerBlocks(PyTorchComparisonOptions options)
    {
        var spec = new ModelSpec(
            ModelSpec.ResNetKind, options.Channels, options.ImageSize, PyTorchComparisonOptions.Classes,
            options.Depth, options.Width);
        torch.manual_seed(1);
        network = ModelZoo.Create(spec);
        LatePhaseModel model = LatePhaseModel.Plain(network);

        AugmentationOptions augmentation = AugmentationOptions.Plain(options.Channels);
        var training = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = options.BatchSize,
            Threads = options.ResolvedThreads,
        };
        blockData = Synthetic(options, options.StepsPerBlock, seed: 1);
        trainer = new Trainer(
            model, blockData, augmentation, training, SingleProcessCollective.Instance, null, "bench-pytorch", times);

        // Warm-up trains the same network with a throw-away optimizer; the timed trainer's momentum buffers are
        // created in its first step, as PyTorch's are in its first warm-up step (a clone, as cheap as an update).
        if (options.WarmupSteps > 0)
        {
            warmupData = Synthetic(options, options.WarmupSteps, seed: 2);
            warmupTrainer = new Trainer(
                model, warmupData, augmentation, training, SingleProcessCollective.Instance, null, "bench-warmup");
        }
    }

    /// <summary>The network's parameter names and shapes.</summary>
    public IReadOnlyDictionary<string, long[]> Parameters =>
        network.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);

    /// <summary>Trains the warm-up steps, untimed.</summary>
    public void WarmUp() => warmupTrainer?.Run();

    /// <summary>Trains one block and returns the wall time of each step, in ms.</summary>
    public IReadOnlyList<double> RunBlock()
    {
        times.Steps.Clear();
        trainer.Run();
        return times.Steps.ToList();
    }

    /// <summary>Frees the trainers, the data and the network.</summary>
    public void Dispose()
    {
        trainer.Dispose();
        warmupTrainer?.Dispose();
        blockData.Dispose();
        warmupData?.Dispose();
        network.Dispose();
    }

    private static ImageDataset Synthetic(PyTorchComparisonOptions options, int steps, int seed) =>
        ImageDataset.Synthetic(
            steps * options.BatchSize, options.Channels, options.ImageSize, PyTorchComparisonOptions.Classes, seed);

    private sealed class StepTimes : ITrainingObserver
    {
        public List<double> Steps { get; } = [];

        public void OnStep(StepRecord step) => Steps.Add(step.Seconds * 1000);

        public void OnEpoch(EpochRecord epoch)
        {
        }

        public void OnRelease(int epoch)
        {
        }

        public void OnCheckpoint(long globalStep, string directory)
        {
        }

        public void OnResume(long globalStep, string directory)
        {
        }
    }
}
