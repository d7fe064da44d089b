using System.Security.Cryptography;
using System.Text.Json;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>Decides whether a checkpoint directory holds a complete checkpoint, and if not, says why.</summary>
internal static class CheckpointVerifier
{
    /// <summary>
    /// The manifest of the checkpoint in <paramref name="directory"/> when it exists, parses, is valid for
    /// <paramref name="step"/>, and every file it lists has the recorded size and SHA-256; otherwise the reason.
    /// </summary>
    public static (CheckpointManifest? Manifest, string? Problem) Verify(string directory, long step)
    {
        var (manifest, problem) = ReadManifest(directory, step);
        if (manifest is null)
        {
            return (null, problem);
        }

        foreach (var file in manifest.Files)
        {
            if (FileProblem(directory, file) is { } fileProblem)
            {
                return (null, fileProblem);
            }
        }

        return (manifest, null);
    }

    /// <summary>The parsed and validated manifest of <paramref name="directory"/>, or why there is none.</summary>
    public static (CheckpointManifest? Manifest, string? Problem) ReadManifest(string directory, long step)
    {
        var path = Path.Combine(directory, CheckpointNames.Manifest);
        if (!File.Exists(path))
        {
            return (null, $"it has no {CheckpointNames.Manifest}, so it was never committed");
        }

        CheckpointManifest? manifest;
        try
        {
            var json = File.ReadAllBytes(path);
            manifest = JsonSerializer.Deserialize(json, CheckpointJsonContext.Default.CheckpointManifest);
        }
        catch (JsonException e)
        {
            return (null, $"{CheckpointNames.Manifest} is not a valid manifest ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{CheckpointNames.Manifest} cannot be read ({e.Message})");
        }

        if (manifest is null)
        {
            return (null, $"{CheckpointNames.Manifest} holds null");
        }

        return CheckpointManifestRules.Problem(manifest, step) is { } problem
            ? (null, problem)
            : (manifest, null);
    }

    /// <summary>Why <paramref name="file"/> does not match its record, or null when size and SHA-256 match.</summary>
    public static string? FileProblem(string directory, CheckpointFile file)
    {
        var path = Path.Combine(directory, file.Name);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.Length != file.Bytes)
            {
                return $"part '{file.Name}' has {stream.Length} bytes, the manifest says {file.Bytes}";
            }

            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            return actual == file.Sha256
                ? null
                : $"part '{file.Name}' has SHA-256 {actual}, the manifest says {file.Sha256}";
        }
        catch (FileNotFoundException)
        {
            return $"part '{file.Name}' is missing";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"part '{file.Name}' cannot be read ({e.Message})";
        }
    }
}
