namespace LatePhaseDist.Cli.Bench;

/// <summary>The Python interpreter is missing or cannot import torch; the message says what to install.</summary>
internal sealed class PyTorchUnavailableException(string message) : Exception(message)
{
}
