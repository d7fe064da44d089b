using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// A stable SHA-256 of everything in a resolved config that changes what a training run computes, so that a
/// checkpoint is never resumed under other settings. Included: the run kind, data (kind, synthetic count,
/// augmentation), model, the late-phase layers and K (not for plain runs), and every training setting except
/// those that only change how the run is carried out. Left out: <c>name</c>, <c>output</c>, <c>baseline</c>,
/// <c>evaluation</c>, <c>data.path</c> (the same files may live elsewhere), <c>latePhase.merge</c> (applied after
/// training, so a finished run can be merged again another way), and <c>training.threads</c>,
/// <c>training.prefetchBatches</c>, <c>training.checkpointEverySteps</c>, <c>training.keepCheckpoints</c> and
/// <c>training.maxConsecutiveSkips</c>. (Thread count changes float summation order: a resume with another thread
/// count continues the same computation to rounding, not bit for bit.) Keys are sorted, so the hash does not
/// depend on the order of the file.
/// </summary>
internal static class ConfigHash
{
    private static readonly string[] Excluded =
    [
        "name", "output", "baseline", "evaluation", "data.path", "latePhase.merge", "training.threads",
        "training.prefetchBatches", "training.checkpointEverySteps", "training.keepCheckpoints",
        "training.maxConsecutiveSkips",
    ];

    /// <summary>The canonical JSON the hash is taken of (sorted keys, no spaces).</summary>
    public static string Canonical(RunConfig config, RunKind kind)
    {
        var root = (JsonObject)JsonSerializer.SerializeToNode(config, ConfigJson.Options)!;
        foreach (string key in Excluded)
        {
            Remove(root, key);
        }

        if (kind != RunKind.LatePhase)
        {
            root.Remove("latePhase");
        }

        root["run"] = kind == RunKind.LatePhase ? "late-phase" : "plain";
        return Sorted(root)!.ToJsonString();
    }

    /// <summary>SHA-256 of <see cref="Canonical"/>, 64 lowercase hex digits.</summary>
    public static string Compute(RunConfig config, RunKind kind) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(config, kind))));

    private static void Remove(JsonObject root, string key)
    {
        string[] path = key.Split('.');
        JsonObject? section = root;
        foreach (string name in path[..^1])
        {
            section = section?[name] as JsonObject;
        }

        section?.Remove(path[^1]);
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(
            obj.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
