namespace LatePhaseDist.Core.Training;

/// <summary>Training stopped because too many consecutive steps had a non-finite loss or gradient.</summary>
public sealed class NonFiniteLossException(string message) : Exception(message);
