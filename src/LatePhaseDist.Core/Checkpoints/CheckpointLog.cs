using Microsoft.Extensions.Logging;

namespace LatePhaseDist.Core.Checkpoints;

/// <summary>Log messages of the checkpoint store; event ids 3000–3099.</summary>
internal static partial class CheckpointLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information,
        Message = "Committed checkpoint {Directory} at step {Step}: {FileCount} files, {Bytes} bytes.")]
    public static partial void Committed(ILogger logger, string directory, long step, int fileCount, long bytes);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Skipped checkpoint {Directory}: {Reason}.")]
    public static partial void Skipped(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "The latest complete checkpoint is {Directory} at step {Step}.")]
    public static partial void FoundLatest(ILogger logger, string directory, long step);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "No complete checkpoint under {Root}.")]
    public static partial void NoneFound(ILogger logger, string root);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information,
        Message = "Pruned checkpoint {Directory}: {Reason}.")]
    public static partial void Pruned(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning,
        Message = "Could not prune checkpoint {Directory}: {Error}")]
    public static partial void PruneFailed(ILogger logger, string directory, string error);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning,
        Message = "Uncommitted checkpoint {Directory}: it is being rewritten, so its old manifest was removed.")]
    public static partial void Uncommitted(ILogger logger, string directory);
}
