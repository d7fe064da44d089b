namespace LatePhaseDist.Core.Checkpoints;

/// <summary>What a manifest must satisfy, both before it is committed and when it is read back.</summary>
internal static class CheckpointManifestRules
{
    /// <summary>Why <paramref name="manifest"/> is invalid for the checkpoint of <paramref name="step"/>.</summary>
    public static string? Problem(CheckpointManifest manifest, long step)
    {
        if (manifest.FormatVersion != CheckpointManifest.CurrentFormatVersion)
        {
            return $"manifest format version {manifest.FormatVersion} is not "
                + $"{CheckpointManifest.CurrentFormatVersion}, the one this build reads";
        }

        if (manifest.Step != step)
        {
            return $"the manifest says step {manifest.Step} but the directory is for step {step}";
        }

        if (manifest.Epoch < 0 || manifest.StepInEpoch < 0 || manifest.MemberCount < 1)
        {
            return $"the manifest has epoch {manifest.Epoch}, step in epoch {manifest.StepInEpoch} and "
                + $"{manifest.MemberCount} members; none may be negative and there must be a member";
        }

        if (manifest.Phase is not (CheckpointManifest.TiedPhase or CheckpointManifest.ReleasedPhase))
        {
            return $"the phase '{manifest.Phase}' is neither '{CheckpointManifest.TiedPhase}' nor "
                + $"'{CheckpointManifest.ReleasedPhase}'";
        }

        if (manifest.Extra is null || manifest.Files is null || manifest.ConfigHash is null)
        {
            return "the manifest lacks its extra state, files or config hash";
        }

        return FilesProblem(manifest.Files);
    }

    private static string? FilesProblem(IReadOnlyList<CheckpointFile> files)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file is null)
            {
                return "the manifest lists a null file";
            }

            if (CheckpointNames.PartNameProblem(file.Name) is { } problem)
            {
                return problem;
            }

            if (!names.Add(file.Name))
            {
                return $"the manifest lists '{file.Name}' twice";
            }

            if (file.Bytes < 0 || !IsSha256Hex(file.Sha256))
            {
                return $"the manifest records '{file.Name}' with {file.Bytes} bytes and SHA-256 '{file.Sha256}'";
            }
        }

        return null;
    }

    private static bool IsSha256Hex(string? text) =>
        text is { Length: 64 } && !text.AsSpan().ContainsAnyExcept("0123456789abcdef");
}
