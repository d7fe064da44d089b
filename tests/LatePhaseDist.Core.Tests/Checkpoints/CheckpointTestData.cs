using LatePhaseDist.Core.Checkpoints;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Checkpoints;

/// <summary>Manifests and small committed checkpoints for the checkpoint tests.</summary>
internal static class CheckpointTestData
{
    public static CheckpointManifest Manifest(long step) => new()
    {
        Step = step,
        Epoch = 3,
        StepInEpoch = 7,
        Phase = CheckpointManifest.ReleasedPhase,
        Generation = 2,
        ConfigHash = "cfg-1234",
        Seed = 42,
        MemberCount = 5,
        Extra = new Dictionary<string, string> { ["sampler"] = "epoch=3;offset=7", ["rng"] = "abc" },
    };

    /// <summary>Commits a checkpoint at <paramref name="step"/> with one part, member-0.lpdt.</summary>
    public static void CommitSimple(CheckpointStore store, long step)
    {
        using var phi = full(4, (float)step);
        var writer = store.Begin(step);

        _ = writer.WritePart("member-0.lpdt", new Dictionary<string, Tensor> { ["phi"] = phi });
        _ = writer.Commit(Manifest(step));
    }
}
