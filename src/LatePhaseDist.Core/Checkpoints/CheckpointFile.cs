namespace LatePhaseDist.Core.Checkpoints;

/// <summary>One file of a checkpoint, as its manifest records it.</summary>
/// <param name="Name">The file's name inside the checkpoint directory (no path separators).</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, 64 lowercase hex digits.</param>
/// <param name="Bytes">The file's size in bytes.</param>
public sealed record CheckpointFile(string Name, string Sha256, long Bytes);
