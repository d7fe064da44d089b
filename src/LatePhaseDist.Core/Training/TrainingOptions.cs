namespace LatePhaseDist.Core.Training;

/// <summary>How a late-phase (or baseline) network is trained; <see cref="Validate"/> checks every value.</summary>
public sealed record TrainingOptions
{
    /// <summary>Number of epochs; default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Minibatch size per worker (as in DDP); default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Seed of the data order, the per-sample augmentation and the release noise; default 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>T0: members are released after this many whole epochs (≥ epochs: never); default 6.</summary>
    public int ReleaseEpoch { get; init; } = 6;

    /// <summary>γθ applied to θ's gradient summed over a cycle; default <see cref="GammaTheta.Sum"/>.</summary>
    public GammaTheta GammaTheta { get; init; } = GammaTheta.Sum;

    /// <summary>σ0: release noise std as a fraction of each tensor's RMS; default 0 (exact copies).</summary>
    public double NoiseScale { get; init; }

    /// <summary>Members start with the tied copy's optimizer state instead of an empty one; default false.</summary>
    public bool CopyTiedOptimizerState { get; init; }

    /// <summary>Optimizer settings.</summary>
    public OptimizerOptions Optimizer { get; init; } = new();

    /// <summary>Learning-rate schedule.</summary>
    public ScheduleOptions Schedule { get; init; } = new();

    /// <summary>Commit a checkpoint every this many global steps (0: only at epoch ends); default 0.</summary>
    public int CheckpointEverySteps { get; init; }

    /// <summary>Number of committed checkpoints kept; default 2.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>The run stops after this many consecutive steps skipped for non-finite values; default 5.</summary>
    public int MaxConsecutiveSkips { get; init; } = 5;

    /// <summary>Torch intra-op threads of the training thread; 0 (default) uses every core.</summary>
    public int Threads { get; init; }

    /// <summary>Batches the loader prepares ahead; default 4.</summary>
    public int PrefetchBatches { get; init; } = 4;

    /// <summary>Refuses invalid values, naming the key under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix = "training")
    {
        OptionException.Require(Epochs >= 1, $"{prefix}.epochs", Epochs, "an integer >= 1");
        OptionException.Require(BatchSize >= 1, $"{prefix}.batchSize", BatchSize, "an integer >= 1");
        OptionException.Require(ReleaseEpoch >= 0, $"{prefix}.releaseEpoch", ReleaseEpoch, "an epoch count >= 0");
        OptionException.Require(
            NoiseScale >= 0 && double.IsFinite(NoiseScale), $"{prefix}.noiseScale", NoiseScale, "a number >= 0");
        OptionException.Require(
            CheckpointEverySteps >= 0, $"{prefix}.checkpointEverySteps", CheckpointEverySteps, "an integer >= 0");
        OptionException.Require(KeepCheckpoints >= 1, $"{prefix}.keepCheckpoints", KeepCheckpoints, "an integer >= 1");
        OptionException.Require(
            MaxConsecutiveSkips >= 1, $"{prefix}.maxConsecutiveSkips", MaxConsecutiveSkips, "an integer >= 1");
        OptionException.Require(Threads >= 0, $"{prefix}.threads", Threads, "0 (all cores) or a thread count");
        OptionException.Require(
            PrefetchBatches >= 1, $"{prefix}.prefetchBatches", PrefetchBatches, "an integer >= 1");
        Optimizer.Validate($"{prefix}.optimizer");
        Schedule.Validate($"{prefix}.schedule", Epochs);
    }
}
