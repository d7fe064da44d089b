using System.Security.Cryptography;
using TorchSharp;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>A checkpoint whose manifest is committed and whose files matched it when it was found.</summary>
public sealed class CommittedCheckpoint
{
    internal CommittedCheckpoint(string directory, CheckpointManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>The absolute checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The committed manifest.</summary>
    public CheckpointManifest Manifest { get; }

    /// <summary>Whether the manifest lists a part called <paramref name="name"/>.</summary>
    public bool Contains(string name) => Manifest.Files.Any(f => f.Name == name);

    /// <summary>
    /// Reads the tensors of part <paramref name="name"/>, checking its size first and its SHA-256 while reading;
    /// the caller owns (disposes) them.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The manifest lists no such part.</exception>
    /// <exception cref="InvalidDataException">The file does not match the manifest; the message names it.</exception>
    public Dictionary<string, torch.Tensor> ReadPart(string name)
    {
        var file = Find(name);

        return TensorFile.ReadVerified(Path.Combine(Directory, file.Name), file.Sha256, file.Bytes);
    }

    /// <summary>Reads the bytes of part <paramref name="name"/>, checking its size and SHA-256.</summary>
    /// <exception cref="KeyNotFoundException">The manifest lists no such part.</exception>
    /// <exception cref="InvalidDataException">The file does not match the manifest; the message names it.</exception>
    public byte[] ReadBytes(string name)
    {
        var file = Find(name);
        var path = Path.Combine(Directory, file.Name);

        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot read checkpoint part '{path}': {e.Message}", e);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(data));
        if (data.Length != file.Bytes || actual != file.Sha256)
        {
            throw new InvalidDataException($"Checkpoint part '{path}' has {data.Length} bytes and SHA-256 {actual}; "
                + $"the manifest says {file.Bytes} bytes and {file.Sha256}.");
        }

        return data;
    }

    private CheckpointFile Find(string name) =>
        Manifest.Files.FirstOrDefault(f => f.Name == name)
            ?? throw new KeyNotFoundException($"The checkpoint '{Directory}' has no part '{name}'.");
}
