using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// Reads a config file, applies overrides — environment variables <c>LATEPHASE__SECTION__KEY=value</c> first (in
/// name order), then each <c>--set key=value</c> in command-line order — and deserializes and validates the result.
/// Override values are parsed as JSON (numbers, true/false, null, [lists], {objects}), otherwise taken as strings.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>Environment variables whose name starts with this (any letter case) override config keys.</summary>
    public const string EnvironmentPrefix = "LATEPHASE__";

    /// <summary>Loads, overrides, validates and resolves the config in <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">A key is unknown or a value cannot be read.</exception>
    /// <exception cref="Core.OptionException">A value is out of range.</exception>
    public static ResolvedConfig Load(
        string path,
        IReadOnlyList<string> sets,
        IReadOnlyDictionary<string, string> environment,
        string? output = null)
    {
        JsonObject root = ReadFile(path);
        foreach ((string name, string value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string[] segments = name[EnvironmentPrefix.Length..].Split("__");
                Apply(root, segments, value, $"from environment variable {name}");
            }
        }

        foreach (string set in sets)
        {
            int equals = set.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ConfigException(
                    "--set", $"--set \"{set}\" is not allowed: write --set key=value, e.g. --set training.epochs=2.");
            }

            Apply(root, set[..equals].Split('.'), set[(equals + 1)..], $"from --set {set}");
        }

        if (output is not null)
        {
            root["output"] = output;
        }

        return ConfigResolver.Resolve(Deserialize(root), Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads a resolved config written by a run (no overrides); used by commands that reopen a run.</summary>
    public static RunConfig ReadResolved(string path) => Deserialize(ReadFile(path));

    /// <summary>Deserializes a checked node tree, naming the key of a value of the wrong type.</summary>
    public static RunConfig Deserialize(JsonObject root)
    {
        try
        {
            return root.Deserialize<RunConfig>(ConfigJson.Options)
                ?? throw new ConfigException("", "The config is empty.");
        }
        catch (JsonException ex)
        {
            string key = KeyOf(ex.Path);
            if (key.Length == 0)
            {
                throw new ConfigException("", $"The config cannot be read: {ex.Message}");
            }

            string value = Find(root, key)?.ToJsonString() ?? "null";
            throw new ConfigException(
                key, $"{key} = {value} is not allowed: expected {ConfigSchema.Describe(key)}.");
        }
    }

    private static JsonObject ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigException("--config", $"The config file {path} does not exist.");
        }

        JsonNode? node;
        try
        {
            node = ConfigJson.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new ConfigException("", $"{path} is not valid JSON: {ex.Message}");
        }

        if (node is not JsonObject root)
        {
            throw new ConfigException(
                "", $"{path} must hold one JSON object, e.g. {{ \"training\": {{ \"epochs\": 6 }} }}.");
        }

        ConfigSchema.CheckKeys(root, $"in {path}");
        return root;
    }

    private static void Apply(JsonObject root, IReadOnlyList<string> segments, string text, string source)
    {
        if (segments.Any(s => s.Length == 0))
        {
            throw new ConfigException("", $"\"{string.Join('.', segments)}\" ({source}) is not a key.");
        }

        IReadOnlyList<string> key = ConfigSchema.Canonical(segments, source);
        JsonObject section = root;
        foreach (string name in key.Take(key.Count - 1))
        {
            if (section[name] is not JsonObject child)
            {
                child = [];
                section[name] = child;
            }

            section = child;
        }

        JsonNode? value = ParseValue(text);
        if (value is JsonObject nested)
        {
            CheckNested(key, nested, source);
        }

        section[key[^1]] = value;
    }

    private static void CheckNested(IReadOnlyList<string> key, JsonObject value, string source)
    {
        // Wrap the object at its place in an otherwise empty tree so that its keys are checked with their full path.
        JsonNode wrapped = value.DeepClone();
        for (int i = key.Count - 1; i >= 0; i--)
        {
            wrapped = new JsonObject { [key[i]] = wrapped };
        }

        ConfigSchema.CheckKeys((JsonObject)wrapped, source);
    }

    private static JsonNode? ParseValue(string text)
    {
        try
        {
            return ConfigJson.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static string KeyOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        string key = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        int bracket = key.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? key : key[..bracket];
    }

    private static JsonNode? Find(JsonObject root, string key)
    {
        JsonNode? node = root;
        foreach (string segment in key.Split('.'))
        {
            node = node is JsonObject section ? section[segment] : null;
        }

        return node;
    }
}
