using LatePhaseDist.Core.Checkpoints;
using LatePhaseDist.Core.LatePhase;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Training;

/// <summary>
/// Saves and restores everything a run needs to continue bit for bit: shared state and θ's optimizer in one part,
/// each member's φ, statistics and optimizer state in a part of its own (the tied copy's before release), and the
/// position in the data order in the manifest.
/// </summary>
internal sealed class TrainingCheckpoints(
    CheckpointStore store, LatePhaseModel model, TrainingOptions options, string configHash)
{
    private const string OptimizerKey = "optimizer.state";
    private const string SharedPart = "shared.lpt";

    /// <summary>Writes every part, then commits the manifest; returns the checkpoint directory.</summary>
    public string Commit(
        TrainingPosition position,
        optim.Optimizer sharedOptimizer,
        optim.Optimizer? tiedOptimizer,
        IReadOnlyDictionary<int, optim.Optimizer> memberOptimizers)
    {
        using var scope = NewDisposeScope();
        CheckpointWriter writer = store.Begin(position.GlobalStep);
        writer.WritePart(SharedPart, WithOptimizer(model.SharedState(), sharedOptimizer));
        if (model.HasMembers)
        {
            IEnumerable<(int Member, optim.Optimizer Optimizer)> parts = model.IsReleased
                ? memberOptimizers.Select(e => (e.Key, e.Value))
                : [(0, tiedOptimizer!)];
            foreach ((int member, optim.Optimizer optimizer) in parts)
            {
                writer.WritePart(MemberPart(member), WithOptimizer(model.MemberState(member), optimizer));
            }
        }

        CheckpointManifest manifest = writer.Commit(new CheckpointManifest
        {
            Step = position.GlobalStep,
            Epoch = position.Epoch,
            StepInEpoch = position.StepInEpoch,
            Phase = model.IsReleased ? CheckpointManifest.ReleasedPhase : CheckpointManifest.TiedPhase,
            ConfigHash = configHash,
            Seed = options.Seed,
            MemberCount = model.MemberCount,
        });
        store.Prune(options.KeepCheckpoints);
        return writer.Directory;
    }

    /// <summary>Loads the newest complete checkpoint into the model and optimizers; null when there is none.</summary>
    public (TrainingPosition Position, string Directory)? Restore(
        optim.Optimizer sharedOptimizer,
        ref optim.Optimizer? tiedOptimizer,
        IReadOnlyList<int> localMembers,
        Func<int, optim.Optimizer> createMemberOptimizer)
    {
        if (store.LatestComplete() is not { } checkpoint)
        {
            return null;
        }

        CheckpointManifest manifest = checkpoint.Manifest;
        if (manifest.ConfigHash != configHash)
        {
            throw new InvalidOperationException(
                $"The checkpoint in {checkpoint.Directory} was written with another configuration " +
                $"(hash {manifest.ConfigHash}, now {configHash}); use a new run directory.");
        }

        // No dispose scope here: optimizer state loaded inside one would be disposed with it.
        double sharedDecay = options.Optimizer.WeightDecay;
        double memberDecay = options.Optimizer.MemberWeightDecay ?? sharedDecay;
        LoadInto(model.SharedState(), checkpoint, SharedPart, sharedOptimizer, sharedDecay);
        bool released = manifest.Phase == CheckpointManifest.ReleasedPhase;
        model.MarkReleased(released);
        if (model.HasMembers && released)
        {
            tiedOptimizer?.Dispose();
            tiedOptimizer = null;
            foreach (int member in localMembers)
            {
                optim.Optimizer optimizer = createMemberOptimizer(member);
                LoadInto(model.MemberState(member), checkpoint, MemberPart(member), optimizer, memberDecay);
            }
        }
        else if (model.HasMembers)
        {
            LoadInto(model.MemberState(0), checkpoint, MemberPart(0), tiedOptimizer!, sharedDecay);
        }

        return (new TrainingPosition(manifest.Epoch, manifest.StepInEpoch, manifest.Step), checkpoint.Directory);
    }

    private static string MemberPart(int member) => $"member-{member:D3}.lpt";

    private static Dictionary<string, Tensor> WithOptimizer(Dictionary<string, Tensor> state, optim.Optimizer optimizer)
    {
        var part = new Dictionary<string, Tensor>(state)
        {
            [OptimizerKey] = tensor(OptimizerFactory.SaveState(optimizer)),
        };
        return part;
    }

    private void LoadInto(
        Dictionary<string, Tensor> target,
        CommittedCheckpoint checkpoint,
        string part,
        optim.Optimizer optimizer,
        double weightDecay)
    {
        string where = checkpoint.Directory;
        Dictionary<string, Tensor> saved = checkpoint.ReadPart(part);
        try
        {
            using (no_grad())
            {
                foreach ((string key, Tensor value) in target)
                {
                    if (!saved.TryGetValue(key, out Tensor? stored) || !stored.shape.SequenceEqual(value.shape))
                    {
                        throw new InvalidDataException(
                            $"Part '{part}' of the checkpoint in {where} has no tensor '{key}' of shape " +
                            $"[{string.Join(", ", value.shape)}].");
                    }

                    value.copy_(stored);
                }
            }

            if (!saved.TryGetValue(OptimizerKey, out Tensor? optimizerState))
            {
                throw new InvalidDataException($"The checkpoint in {where} has no optimizer state in part '{part}'.");
            }

            try
            {
                byte[] bytes = optimizerState.data<byte>().ToArray();
                OptimizerFactory.LoadState(optimizer, bytes, options.Optimizer, weightDecay);
            }
            catch (Exception ex) when (ex is not InvalidDataException)
            {
                throw new InvalidDataException(
                    $"The optimizer state in part '{part}' of the checkpoint in {where} does not fit this run: " +
                    ex.Message, ex);
            }
        }
        finally
        {
            foreach (Tensor stored in saved.Values)
            {
                stored.Dispose();
            }
        }
    }
}
