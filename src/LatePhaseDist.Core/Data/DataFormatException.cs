namespace LatePhaseDist.Core.Data;

/// <summary>
/// A data file that is missing, unreadable or not in the format its reader expects. The message starts with
/// the file's path and says what is wrong with it.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public DataFormatException()
        : base("A data file is not in the expected format.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public DataFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    public DataFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="filePath"/>; the message is "path: problem".</summary>
    public DataFormatException(string filePath, string problem, Exception? innerException)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault, when one is known.</summary>
    public string? FilePath { get; }
}
