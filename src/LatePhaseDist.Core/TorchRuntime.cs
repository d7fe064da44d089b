using TorchSharp;

namespace LatePhaseDist.Core;

/// <summary>Process-wide LibTorch facts.</summary>
public static class TorchRuntime
{
    /// <summary>Loads LibTorch and returns its version string.</summary>
    public static string Describe() => $"TorchSharp on LibTorch {torch.__version__}";
}
