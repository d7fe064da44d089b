using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace LatePhaseDist.Cli.Configuration;

/// <summary>
/// The keys a config may hold, read from the serializer's own contract of <see cref="RunConfig"/> so that a setting
/// added to a Core options record becomes a config key without a second list to maintain.
/// </summary>
internal static class ConfigSchema
{
    /// <summary>Refuses every key of <paramref name="root"/> that the config types do not have.</summary>
    public static void CheckKeys(JsonObject root, string source) =>
        CheckObject(root, TypeInfo(typeof(RunConfig)), "", source);

    /// <summary>
    /// Finds the canonical spelling of a dotted key given in any letter case (environment variables are upper case).
    /// </summary>
    public static IReadOnlyList<string> Canonical(IReadOnlyList<string> segments, string source)
    {
        var result = new List<string>(segments.Count);
        JsonTypeInfo type = TypeInfo(typeof(RunConfig));
        for (int i = 0; i < segments.Count; i++)
        {
            string prefix = string.Join('.', result);
            if (type.Kind != JsonTypeInfoKind.Object)
            {
                throw new ConfigException(
                    prefix,
                    $"{prefix} is a single value, not a section: \"{Join(segments)}\" ({source}) is not a key.");
            }

            JsonPropertyInfo property = type.Properties
                .FirstOrDefault(p => string.Equals(p.Name, segments[i], StringComparison.OrdinalIgnoreCase))
                ?? throw Unknown(Join([.. result, segments[i]]), type, prefix, source);
            result.Add(property.Name);
            type = TypeInfo(property.PropertyType);
        }

        return result;
    }

    /// <summary>What a value of the key's type looks like, for error messages ("an integer", "one of ...").</summary>
    public static string Describe(string key)
    {
        Type? type = typeof(RunConfig);
        foreach (string segment in key.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonPropertyInfo? property = TypeInfo(type).Properties.FirstOrDefault(p => p.Name == segment);
            if (property is null)
            {
                return "a value of the right type";
            }

            type = property.PropertyType;
        }

        return DescribeType(type);
    }

    private static void CheckObject(JsonObject node, JsonTypeInfo type, string prefix, string source)
    {
        foreach ((string name, JsonNode? child) in node)
        {
            string key = prefix.Length == 0 ? name : $"{prefix}.{name}";
            JsonPropertyInfo property = type.Properties.FirstOrDefault(p => p.Name == name)
                ?? throw Unknown(key, type, prefix, source);
            JsonTypeInfo childType = TypeInfo(property.PropertyType);
            if (child is JsonObject section && childType.Kind == JsonTypeInfoKind.Object)
            {
                CheckObject(section, childType, key, source);
            }
        }
    }

    private static ConfigException Unknown(string key, JsonTypeInfo type, string prefix, string source)
    {
        string name = key[(key.LastIndexOf('.') + 1)..];
        string? near = type.Properties
            .Select(p => p.Name)
            .FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        string hint = near is null ? "" : $" Did you mean \"{near}\"?";
        string where = prefix.Length == 0 ? "at the top level" : $"in {prefix}";
        string allowed = string.Join(", ", type.Properties.Select(p => p.Name));
        return new ConfigException(
            key, $"Unknown key \"{key}\" ({source}).{hint} Allowed keys {where}: {allowed}.");
    }

    private static string DescribeType(Type type)
    {
        Type inner = Nullable.GetUnderlyingType(type) ?? type;
        string nullable = inner != type ? "null or " : "";
        if (inner.IsEnum)
        {
            var names = Enum.GetNames(inner).Select(n => $"\"{JsonNamingPolicy.CamelCase.ConvertName(n)}\"");
            return $"{nullable}one of {string.Join(", ", names)}";
        }

        string what = inner switch
        {
            _ when inner == typeof(int) || inner == typeof(long) => "an integer",
            _ when inner == typeof(double) || inner == typeof(float) => "a number",
            _ when inner == typeof(bool) => "true or false",
            _ when inner == typeof(string) => "a string",
            _ when inner == typeof(int[]) => "a list of integers, e.g. [3, 5]",
            _ => $"an object with the keys {string.Join(", ", TypeInfo(inner).Properties.Select(p => p.Name))}",
        };
        return nullable + what;
    }

    private static JsonTypeInfo TypeInfo(Type type) => ConfigJson.Options.GetTypeInfo(type);

    private static string Join(IEnumerable<string> segments) => string.Join('.', segments);
}
