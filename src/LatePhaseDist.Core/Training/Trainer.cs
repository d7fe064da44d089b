using System.Diagnostics;
using LatePhaseDist.Core.Checkpoints;
using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Training;

/// <summary>
/// The one training loop (DESIGN §1–2). Before T0 every step trains θ and the tied φ on one minibatch per worker.
/// From T0 on every step is one cycle of Algorithm 1: each local member trains on its own minibatch, θ accumulates the
/// K gradients, gradients are reduced through the collective, and then θ steps once on γθ × the sum while every
/// member steps on its own gradient. Call <see cref="Run"/> on the training thread (<see cref="TrainingThread"/>).
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly LatePhaseModel model;
    private readonly ImageDataset data;
    private readonly AugmentationOptions augmentation;
    private readonly TrainingOptions options;
    private readonly ICollective collective;
    private readonly TrainingCheckpoints? checkpoints;
    private readonly ITrainingObserver observer;
    private readonly Placement placement;
    private readonly IReadOnlyList<Parameter> shared;
    private readonly optim.Optimizer sharedOptimizer;
    private optim.Optimizer? tiedOptimizer;
    private readonly Dictionary<int, optim.Optimizer> memberOptimizers = [];
    private int consecutiveSkips;
    private long skippedSteps;

    /// <summary>Prepares a run; nothing is trained until <see cref="Run"/>.</summary>
    public Trainer(
        LatePhaseModel model,
        ImageDataset data,
        AugmentationOptions augmentation,
        TrainingOptions options,
        ICollective collective,
        CheckpointStore? store,
        string configHash,
        ITrainingObserver? observer = null)
    {
        options.Validate();
        this.model = model;
        this.data = data;
        this.augmentation = augmentation;
        this.options = options;
        this.collective = collective;
        this.observer = observer ?? NullTrainingObserver.Instance;
        placement = new Placement(collective.WorkerCount, collective.Rank, model.MemberCount);
        placement.Validate();
        MinibatchesPerEpoch = data.Count / options.BatchSize;
        OptionException.Require(
            placement.StepsPerEpoch(MinibatchesPerEpoch, model.HasMembers && options.ReleaseEpoch < options.Epochs) > 0,
            "training.batchSize", options.BatchSize,
            $"small enough that {data.Name} ({data.Count} samples) holds one cycle of {model.MemberCount} batches");

        shared = model.SharedParameters();
        sharedOptimizer = OptimizerFactory.Create(shared, options.Optimizer, options.Optimizer.WeightDecay);
        if (model.HasMembers)
        {
            tiedOptimizer = OptimizerFactory.Create(
                model.MemberParameters(0), options.Optimizer, options.Optimizer.WeightDecay);
        }

        OptionException.Require(
            store is null || collective.WorkerCount == 1, "checkpoints", store?.RootDirectory,
            "a checkpoint store for one worker only (distributed checkpoints are written differently)");
        checkpoints = store is null ? null : new TrainingCheckpoints(store, model, options, configHash);
        TotalSteps = Enumerable.Range(0, options.Epochs)
            .Sum(e => (long)placement.StepsPerEpoch(MinibatchesPerEpoch, ReleasedIn(e)));
    }

    /// <summary>Global minibatches in one epoch (the incomplete last one dropped).</summary>
    public int MinibatchesPerEpoch { get; }

    /// <summary>Total global steps of the run.</summary>
    public long TotalSteps { get; }

    /// <summary>Trains to the end, resuming from the newest committed checkpoint when there is one.</summary>
    public TrainingResult Run(CancellationToken cancellation = default)
    {
        model.SetOutput(LatePhaseOutput.Active);
        TrainingPosition position = Restore();
        long resumedFrom = position.GlobalStep;
        for (int epoch = position.Epoch; epoch < options.Epochs; epoch++)
        {
            if (ReleasedIn(epoch) && !model.IsReleased)
            {
                Release(epoch);
            }

            int firstStep = epoch == position.Epoch ? position.StepInEpoch : 0;
            position = RunEpoch(epoch, firstStep, position.GlobalStep, cancellation);
        }

        return new TrainingResult(position.GlobalStep, skippedSteps, model.IsReleased, resumedFrom);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        sharedOptimizer.Dispose();
        tiedOptimizer?.Dispose();
        foreach (optim.Optimizer optimizer in memberOptimizers.Values)
        {
            optimizer.Dispose();
        }
    }

    private double MemberWeightDecay => options.Optimizer.MemberWeightDecay ?? options.Optimizer.WeightDecay;

    private bool ReleasedIn(int epoch) => model.HasMembers && epoch >= options.ReleaseEpoch;

    private TrainingPosition RunEpoch(int epoch, int firstStep, long globalStep, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        bool released = model.IsReleased;
        double learningRate = options.Optimizer.LearningRate * options.Schedule.Factor(epoch, options.Epochs);
        SetLearningRate(learningRate);

        int steps = placement.StepsPerEpoch(MinibatchesPerEpoch, released);
        int[] order = DataOrder.Permutation(data.Count, options.Seed, epoch);
        var work = Enumerable.Range(firstStep, steps - firstStep).Select(s => placement.Work(s, released)).ToList();
        var batches = work.SelectMany(w => w).Select(w => Minibatch(order, w.Minibatch)).ToList();
        using var loader = new PrefetchingLoader(
            data, batches, augmentation, options.Seed, epoch, train: true, options.PrefetchBatches);
        using IEnumerator<Batch> next = loader.GetEnumerator();

        var totals = new RunningTotals();
        for (int step = firstStep; step < steps; step++)
        {
            if (cancellation.IsCancellationRequested)
            {
                CommitOnCancel(new TrainingPosition(epoch, step, globalStep), step > firstStep);
                cancellation.ThrowIfCancellationRequested();
            }

            var stepClock = Stopwatch.StartNew();
            IReadOnlyList<(int Minibatch, int Member)> items = work[step - firstStep];
            (IReadOnlyList<MemberStepRecord> members, bool skipped) = RunStep(items, next, epoch, step);
            globalStep++;
            totals.Add(members);
            observer.OnStep(new StepRecord(
                epoch, step, globalStep, TotalSteps, Phase(released), learningRate, members, skipped,
                stepClock.Elapsed.TotalSeconds));
            StopAfterTooManySkips(epoch, step);

            bool epochEnds = step == steps - 1;
            if (checkpoints is not null && !epochEnds && consecutiveSkips == 0 && options.CheckpointEverySteps > 0 &&
                globalStep % options.CheckpointEverySteps == 0)
            {
                Commit(new TrainingPosition(epoch, step + 1, globalStep));
            }
        }

        observer.OnEpoch(new EpochRecord(
            epoch, Phase(released), learningRate, totals.Loss, totals.Accuracy, MemberSpread(), skippedSteps,
            clock.Elapsed.TotalSeconds));
        var end = new TrainingPosition(epoch + 1, 0, globalStep);
        if (checkpoints is not null)
        {
            Commit(end);
        }

        return end;
    }

    private (IReadOnlyList<MemberStepRecord> Members, bool Skipped) RunStep(
        IReadOnlyList<(int Minibatch, int Member)> items, IEnumerator<Batch> next, int epoch, int step)
    {
        using var scope = NewDisposeScope();
        bool released = model.IsReleased;
        var records = new List<MemberStepRecord>(items.Count);
        bool finite = true;
        model.Network.train();

        // Train-mode forward passes move BatchNorm statistics; a skipped step must leave them as they were.
        List<(Tensor Buffer, Tensor Saved)> buffers = model.Network.buffers().Select(b => (b, b.clone())).ToList();
        foreach ((_, int member) in items)
        {
            if (!next.MoveNext())
            {
                throw new InvalidOperationException($"The loader ran out of batches in epoch {epoch}, step {step}.");
            }

            using Batch batch = next.Current;
            model.SetActiveMember(member);
            Tensor logits = model.Network.forward(NetworkInput.Prepare(model.Network, batch.Inputs));
            Tensor loss = nn.functional.cross_entropy(logits, batch.Targets.to(logits.device));
            loss.backward();
            double lossValue = loss.to(float64).item<double>();
            double accuracy = logits.argmax(1).eq(batch.Targets.to(logits.device)).to(float64).mean().item<double>();
            finite &= double.IsFinite(lossValue);
            records.Add(new MemberStepRecord(member, lossValue, accuracy, batch.Size));
        }

        // A plain network (no late-phase layers) has no φ and no tied optimizer: θ's optimizer covers everything.
        IReadOnlyList<int> members = released ? placement.LocalMembers : model.HasMembers ? [0] : [];
        ReduceGradients(released, members);
        finite &= GradientsFinite(members);
        if (collective.AnyWorker(!finite))
        {
            ZeroGradients(members);
            using (no_grad())
            {
                buffers.ForEach(b => b.Buffer.copy_(b.Saved));
            }

            skippedSteps++;
            consecutiveSkips++;
            return (records, true);
        }

        consecutiveSkips = 0;
        if (released && options.GammaTheta == GammaTheta.Mean)
        {
            ScaleGradients(shared, 1.0 / model.MemberCount);
        }

        sharedOptimizer.step();
        foreach (int member in members)
        {
            MemberOptimizer(member).step();
        }

        ZeroGradients(members);
        return (records, false);
    }

    private void ReduceGradients(bool released, IReadOnlyList<int> members)
    {
        if (collective.WorkerCount == 1)
        {
            return;
        }

        collective.AllReduceShared(Gradients(shared));
        if (!released)
        {
            // Before T0 workers are plain data-parallel replicas: θ and the tied φ step on the mean gradient.
            collective.AllReduceShared(Gradients(model.MemberParameters(0)));
            ScaleGradients(shared, 1.0 / collective.WorkerCount);
            ScaleGradients(model.MemberParameters(0), 1.0 / collective.WorkerCount);
            return;
        }

        foreach (int member in members)
        {
            collective.AllReduceMember(member, Gradients(model.MemberParameters(member)));
        }
    }

    private bool GradientsFinite(IReadOnlyList<int> members)
    {
        Tensor[] checks = shared.Concat(members.SelectMany(model.MemberParameters))
            .Where(p => p.grad is not null)
            .Select(p => p.grad!.isfinite().all())
            .ToArray();
        return checks.Length == 0 || stack(checks).all().item<bool>();
    }

    private void StopAfterTooManySkips(int epoch, int step)
    {
        if (consecutiveSkips >= options.MaxConsecutiveSkips)
        {
            throw new NonFiniteLossException(
                $"Training stopped at epoch {epoch}, step {step}: {consecutiveSkips} consecutive steps had a " +
                "non-finite loss or gradient (training.maxConsecutiveSkips). Lower the learning rate or check the " +
                "data; committed checkpoints are unchanged.");
        }
    }

    private void Release(int epoch)
    {
        if (collective.WorkerCount > 1)
        {
            collective.AverageShared(model.MemberState(0).Where(e => e.Key.Contains("running_")).Select(e => e.Value)
                .ToList());
        }

        model.Release(options.NoiseScale, options.Seed);
        byte[]? tiedState = options.CopyTiedOptimizerState ? OptimizerFactory.SaveState(tiedOptimizer!) : null;
        tiedOptimizer?.Dispose();
        tiedOptimizer = null;
        foreach (int member in placement.LocalMembers)
        {
            optim.Optimizer optimizer = CreateMemberOptimizer(member);
            if (tiedState is not null)
            {
                OptimizerFactory.LoadState(optimizer, tiedState, options.Optimizer, MemberWeightDecay);
            }
        }

        observer.OnRelease(epoch);
    }

    private optim.Optimizer CreateMemberOptimizer(int member)
    {
        optim.Optimizer optimizer = OptimizerFactory.Create(
            model.MemberParameters(member), options.Optimizer, MemberWeightDecay);
        memberOptimizers[member] = optimizer;
        return optimizer;
    }

    private optim.Optimizer MemberOptimizer(int member) => model.IsReleased ? memberOptimizers[member] : tiedOptimizer!;

    private void SetLearningRate(double learningRate)
    {
        OptimizerFactory.SetLearningRate(sharedOptimizer, learningRate);
        if (tiedOptimizer is not null)
        {
            OptimizerFactory.SetLearningRate(tiedOptimizer, learningRate);
        }

        foreach (optim.Optimizer optimizer in memberOptimizers.Values)
        {
            OptimizerFactory.SetLearningRate(optimizer, learningRate);
        }
    }

    private List<double> MemberSpread()
    {
        if (!model.IsReleased)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = placement.LocalMembers
            .Select(k => cat(model.MemberParameters(k).Select(p => p.flatten().to(float64)).ToArray()))
            .ToList();
        Tensor mean = stack(flat.ToArray()).mean([0L]);
        return flat.Select(f => (f - mean).norm().item<double>()).ToList();
    }

    private void CommitOnCancel(TrainingPosition position, bool progressed)
    {
        // The state is consistent at a step boundary; keep what was trained since the last commit.
        if (checkpoints is not null && progressed && consecutiveSkips == 0)
        {
            Commit(position);
        }
    }

    private void Commit(TrainingPosition position)
    {
        string directory = checkpoints!.Commit(position, sharedOptimizer, tiedOptimizer, memberOptimizers);
        observer.OnCheckpoint(position.GlobalStep, directory);
    }

    private TrainingPosition Restore()
    {
        if (checkpoints?.Restore(sharedOptimizer, ref tiedOptimizer, placement.LocalMembers, CreateMemberOptimizer)
            is not { } restored)
        {
            return new TrainingPosition(0, 0, 0);
        }

        observer.OnResume(restored.Position.GlobalStep, restored.Directory);
        return restored.Position;
    }

    private int[] Minibatch(int[] order, int minibatch) =>
        order.AsSpan(minibatch * options.BatchSize, options.BatchSize).ToArray();

    private static string Phase(bool released) => released ? "released" : "tied";

    private static List<Tensor> Gradients(IEnumerable<Parameter> parameters) =>
        parameters.Where(p => p.grad is not null).Select(p => p.grad!).ToList();

    private static void ScaleGradients(IEnumerable<Parameter> parameters, double factor)
    {
        foreach (Tensor gradient in Gradients(parameters))
        {
            gradient.mul_(factor);
        }
    }

    private void ZeroGradients(IReadOnlyList<int> members)
    {
        sharedOptimizer.zero_grad();
        foreach (int member in members)
        {
            MemberOptimizer(member).zero_grad();
        }
    }
}
