namespace LatePhaseDist.Core;

/// <summary>A setting whose value is not allowed; the message names the key, the value and what is allowed.</summary>
public sealed class OptionException : Exception
{
    /// <summary>Creates the error for <paramref name="key"/>.</summary>
    public OptionException(string key, object? value, string allowed)
        : base($"{key} = {Format(value)} is not allowed: {allowed}.")
    {
        Key = key;
    }

    /// <summary>The setting's key, e.g. "training.batchSize".</summary>
    public string Key { get; }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Require(bool condition, string key, object? value, string allowed)
    {
        if (!condition)
        {
            throw new OptionException(key, value, allowed);
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        IEnumerable<int> list => "[" + string.Join(", ", list) + "]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
