using System.Globalization;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>The names of checkpoint directories and files, and which part names are allowed.</summary>
internal static class CheckpointNames
{
    /// <summary>The manifest; its presence (after an atomic rename) is what makes a checkpoint exist.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>Where the manifest is written and flushed before the rename.</summary>
    public const string ManifestTemporary = "manifest.json.tmp";

    private const string DirectoryPrefix = "step-";
    private const int MaxPartNameLength = 200;

    /// <summary>The directory name of the checkpoint after <paramref name="step"/> steps: step-0000001234.</summary>
    public static string Directory(long step) => DirectoryPrefix + step.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>The step a directory name stands for, or false when the name is not a checkpoint's.</summary>
    public static bool TryParseStep(string directoryName, out long step)
    {
        step = -1;
        if (!directoryName.StartsWith(DirectoryPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = directoryName.AsSpan(DirectoryPrefix.Length);
        return digits.Length >= 10
            && !digits.ContainsAnyExcept("0123456789")
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out step);
    }

    /// <summary>Why <paramref name="name"/> cannot name a part, or null when it can.</summary>
    public static string? PartNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a part name must not be empty";
        }

        if (name.Length > MaxPartNameLength)
        {
            return $"the part name '{name[..40]}...' is longer than {MaxPartNameLength} characters";
        }

        if (!char.IsAsciiLetterOrDigit(name[0]) || name.Any(c => !IsPartNameChar(c)))
        {
            return $"the part name '{name}' must start with a letter or digit and use only letters, digits, "
                + "'.', '_' and '-'";
        }

        if (name is Manifest or ManifestTemporary || name.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return $"the part name '{name}' is reserved for the manifest or temporary files";
        }

        return null;
    }

    private static bool IsPartNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
}
