namespace LatePhaseDist.Cli.Configuration;

/// <summary>A configuration or argument that cannot be used; the message names the key and what is allowed.</summary>
internal sealed class ConfigException(string key, string message) : Exception(message)
{
    /// <summary>The offending key, e.g. "training.epochs" (empty when no single key is at fault).</summary>
    public string Key { get; } = key;
}
