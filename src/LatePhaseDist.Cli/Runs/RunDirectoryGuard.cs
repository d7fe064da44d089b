using System.Text.Json.Nodes;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Core.Checkpoints;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// Refuses to start a run in a directory whose checkpoints were written under settings that change the computation
/// (see <see cref="ConfigHash"/>), naming the keys that differ, before anything is written or loaded.
/// </summary>
internal static class RunDirectoryGuard
{
    /// <summary>
    /// Throws <see cref="ConfigException"/> when the directory holds checkpoints of another configuration.
    /// </summary>
    public static void Check(RunLayout layout, ResolvedConfig config)
    {
        if (!File.Exists(layout.ResolvedConfig) || !HasCheckpoints(layout))
        {
            return;
        }

        RunConfig previous;
        try
        {
            previous = ConfigLoader.ReadResolved(layout.ResolvedConfig);
        }
        catch (ConfigException ex)
        {
            throw new ConfigException(
                "output", $"{layout.ResolvedConfig} cannot be read ({ex.Message}); use another --output directory.");
        }

        var differences = new SortedSet<string>(StringComparer.Ordinal);
        foreach (RunKind kind in new[] { config.MainKind, RunKind.Plain })
        {
            Dictionary<string, string> before = Flatten(ConfigHash.Canonical(previous, kind));
            Dictionary<string, string> now = Flatten(ConfigHash.Canonical(config.Config, kind));
            foreach (string key in before.Keys.Union(now.Keys))
            {
                string old = before.GetValueOrDefault(key, "(absent)");
                string current = now.GetValueOrDefault(key, "(absent)");
                if (old != current)
                {
                    differences.Add($"{key}: {old} -> {current}");
                }
            }
        }

        if (differences.Count > 0)
        {
            throw new ConfigException(
                "output",
                $"{layout.Root} holds checkpoints of a run with other settings ({string.Join("; ", differences)}). " +
                "Use another --output directory, or delete this one to start over.");
        }
    }

    private static bool HasCheckpoints(RunLayout layout) =>
        new[] { RunKind.LatePhase, RunKind.Baseline }
            .Select(layout.Checkpoints)
            .Any(d => Directory.Exists(d) && new CheckpointStore(d).LatestComplete() is not null);

    private static Dictionary<string, string> Flatten(string canonical)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(JsonNode.Parse(canonical), "", values);
        return values;
    }

    private static void Add(JsonNode? node, string prefix, Dictionary<string, string> values)
    {
        if (node is JsonObject section)
        {
            foreach ((string name, JsonNode? child) in section)
            {
                Add(child, prefix.Length == 0 ? name : $"{prefix}.{name}", values);
            }

            return;
        }

        values[prefix] = node?.ToJsonString() ?? "null";
    }
}
