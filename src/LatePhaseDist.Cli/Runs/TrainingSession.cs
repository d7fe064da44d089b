using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Cli.Presentation;
using LatePhaseDist.Core.Checkpoints;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Models;
using LatePhaseDist.Core.Training;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace LatePhaseDist.Cli.Runs;

/// <summary>Builds and trains the network of one run of a run directory, resuming from its newest checkpoint.</summary>
internal static class TrainingSession
{
    /// <summary>
    /// The run's network with fresh weights: torch's default generator is seeded with <c>training.seed</c> first, so
    /// a late-phase run and its baseline start from the same θ. Late-phase runs are converted.
    /// </summary>
    public static LatePhaseModel Build(ResolvedConfig config, RunKind kind)
    {
        torch.manual_seed(config.Config.Training.Seed);
        var network = ModelZoo.Create(config.Model);
        return kind == RunKind.LatePhase
            ? LatePhaseConverter.Convert(network, config.LatePhase!)
            : LatePhaseModel.Plain(network);
    }

    /// <summary>The checkpoint store of a run.</summary>
    public static CheckpointStore Store(RunWorkspace workspace, RunKind kind) =>
        new(workspace.Layout.Checkpoints(kind), workspace.Logs.CreateLogger<CheckpointStore>());

    /// <summary>
    /// Trains run <paramref name="kind"/> to its last epoch (nothing, when its newest checkpoint is final).
    /// </summary>
    public static LatePhaseModel Train(
        RunWorkspace workspace, RunKind kind, IProgressSink progress, CancellationToken cancellation)
    {
        string label = RunLayout.Label(kind);
        TrainingOptions options = workspace.Config.Config.Training;
        Directory.CreateDirectory(workspace.Layout.RunDirectory(kind));
        LatePhaseModel model = Build(workspace.Config, kind);

        CheckpointStore store = Store(workspace, kind);
        long resumeStep = store.LatestComplete()?.Manifest.Step ?? 0;
        using MetricsLog metrics = MetricsLog.Open(workspace.Layout.Metrics(kind), label, resumeStep);
        var observer = new CompositeObserver(metrics, new LoggingObserver(workspace.Logger, label));
        string hash = ConfigHash.Compute(workspace.Config.Config, kind);
        using var trainer = new Trainer(
            model, workspace.Train, workspace.Config.Augmentation, options, SingleProcessCollective.Instance, store,
            hash, observer);
        observer.Add(progress.ForRun(label, trainer.TotalSteps, options.Epochs));

        long parameters = model.Network.parameters().Sum(p => p.numel());
        CliLog.NetworkBuilt(workspace.Logger, label, parameters, model.MemberCount, trainer.TotalSteps);
        if (kind == RunKind.LatePhase && options.ReleaseEpoch >= options.Epochs)
        {
            CliLog.NeverReleased(workspace.Logger, options.ReleaseEpoch, options.Epochs);
        }

        trainer.Run(cancellation);
        return model;
    }

    /// <summary>
    /// Restores the newest checkpoint of a finished run into a freshly built model without training; null when the
    /// run has no checkpoint or its newest one is not from the end of training.
    /// </summary>
    public static LatePhaseModel? RestoreFinished(RunWorkspace workspace, RunKind kind)
    {
        TrainingOptions options = workspace.Config.Config.Training;
        CheckpointStore store = Store(workspace, kind);
        if (store.LatestComplete() is not { } checkpoint)
        {
            return null;
        }

        if (checkpoint.Manifest.Epoch < options.Epochs)
        {
            CliLog.CheckpointNotFinal(
                workspace.Logger, checkpoint.Directory, checkpoint.Manifest.Epoch, options.Epochs);
            return null;
        }

        // A trainer whose newest checkpoint is final restores it and has no epoch left to train.
        LatePhaseModel model = Build(workspace.Config, kind);
        using var trainer = new Trainer(
            model, workspace.Train, workspace.Config.Augmentation, options, SingleProcessCollective.Instance, store,
            ConfigHash.Compute(workspace.Config.Config, kind));
        trainer.Run();
        return model;
    }
}
