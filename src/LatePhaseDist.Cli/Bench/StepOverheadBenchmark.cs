using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace LatePhaseDist.Cli.Bench;

/// <summary>
/// Times a training step of late-phase BatchNorm (K members, after release: the cycle loop of Algorithm 1) against
/// plain training of the same network and batch size. Both run Core's real <see cref="Trainer"/> on the same
/// synthetic data, in alternating blocks of equal minibatch counts (plain, late-phase, plain, ...) after a warm-up
/// block of each, so drifts of machine load hit both alike. A late-phase step is one cycle of K minibatches, so its
/// time is divided by K; the step times are the trainer's own (data wait, forward, backward, optimizer steps).
/// </summary>
internal static class StepOverheadBenchmark
{
    /// <summary>Runs the benchmark on the calling thread (use <see cref="TrainingThread"/>).</summary>
    public static StepOverheadResult Run(StepOverheadOptions options, ILogger logger)
    {
        int cycles = (options.Minibatches + options.Members - 1) / options.Members;
        int minibatches = cycles * options.Members;
        using ImageDataset data = DatasetSource.Load(options.Data, null, minibatches * options.BatchSize).Train;
        AugmentationOptions augmentation = DatasetSource.Augmentation(options.Data);

        var training = new TrainingOptions
        {
            Epochs = 1,
            BatchSize = options.BatchSize,
            ReleaseEpoch = 0,
            Threads = options.Threads,
        };

        torch.manual_seed(1);
        using var plainNetwork = ModelZoo.Create(options.Model);
        torch.manual_seed(1);
        using var lateNetwork = ModelZoo.Create(options.Model);

        LatePhaseModel plain = LatePhaseModel.Plain(plainNetwork);
        LatePhaseModel late = LatePhaseConverter.Convert(
            lateNetwork, new LatePhaseOptions { Members = options.Members });

        var plainTimes = new StepTimes();
        var lateTimes = new StepTimes();
        using var plainTrainer = new Trainer(
            plain, data, augmentation, training, SingleProcessCollective.Instance, null, "bench-plain", plainTimes);
        using var lateTrainer = new Trainer(
            late, data, augmentation, training, SingleProcessCollective.Instance, null, "bench-late", lateTimes);

        // Each Run trains one epoch over the same data: a block. The first block of each variant (and the release,
        // in the late-phase one) is warm-up and is not timed.
        for (int block = 0; block <= options.Blocks; block++)
        {
            plainTimes.Recording = block > 0;
            plainTrainer.Run();
            lateTimes.Recording = block > 0;
            lateTrainer.Run();
            if (block > 0)
            {
                CliLog.BenchmarkBlock(logger, block, "plain", plainTimes.LastBlockMeanMs, minibatches);
                CliLog.BenchmarkBlock(logger, block, "late-phase", lateTimes.LastBlockMeanMs, minibatches);
            }
        }

        StepTiming plainTiming = plainTimes.Summary("plain");
        StepTiming lateTiming = lateTimes.Summary($"late-phase BN (K = {options.Members})");
        long parameters = plainNetwork.parameters().Sum(p => p.numel());
        return new StepOverheadResult(
            plainTiming, lateTiming, lateTiming.MeanMs / plainTiming.MeanMs, lateTiming.MedianMs / plainTiming.MedianMs,
            parameters, torch.get_num_threads());
    }

    private sealed class StepTimes : ITrainingObserver
    {
        private readonly List<(double Seconds, int Minibatches)> steps = [];
        private int blockStart;

        public bool Recording { get; set; }

        public double LastBlockMeanMs
        {
            get
            {
                var block = steps.Skip(blockStart).ToList();
                blockStart = steps.Count;
                return 1000 * block.Sum(s => s.Seconds) / Math.Max(1, block.Sum(s => s.Minibatches));
            }
        }

        public void OnStep(StepRecord step)
        {
            if (Recording)
            {
                steps.Add((step.Seconds, step.Members.Count));
            }
        }

        public StepTiming Summary(string variant)
        {
            var perMinibatch = steps.Select(s => 1000 * s.Seconds / s.Minibatches).Order().ToList();
            double median = perMinibatch.Count % 2 == 1
                ? perMinibatch[perMinibatch.Count / 2]
                : (perMinibatch[(perMinibatch.Count / 2) - 1] + perMinibatch[perMinibatch.Count / 2]) / 2;
            int minibatches = steps.Sum(s => s.Minibatches);
            return new StepTiming(variant, 1000 * steps.Sum(s => s.Seconds) / minibatches, median, minibatches);
        }

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
