namespace LatePhaseDist.Cli.Bench;

/// <summary>What <c>latephase bench pytorch</c> measured; times are wall milliseconds per training step.</summary>
/// <param name="Blocks">Median step time of each timed block on each side, in the order they ran.</param>
/// <param name="OursMedianMs">Median over all our timed steps.</param>
/// <param name="PyTorchMedianMs">Median over all PyTorch's timed steps.</param>
/// <param name="OursThreads">torch.get_num_threads() on our training thread.</param>
/// <param name="PyTorchThreads">torch.get_num_threads() in the PyTorch worker.</param>
/// <param name="OursParameters">Parameter count of our network.</param>
/// <param name="PyTorchParameters">Parameter count of the PyTorch network (checked equal, names and shapes too).
/// </param>
/// <param name="OursVersion">TorchSharp and LibTorch versions.</param>
/// <param name="PyTorchVersion">torch and Python versions of the worker.</param>
internal sealed record PyTorchComparisonResult(
    IReadOnlyList<BlockMedians> Blocks,
    double OursMedianMs,
    double PyTorchMedianMs,
    int OursThreads,
    int PyTorchThreads,
    long OursParameters,
    long PyTorchParameters,
    string OursVersion,
    string PyTorchVersion)
{
    /// <summary>Our median step time ÷ PyTorch's; the goal is at most 1.1.</summary>
    public double Ratio => OursMedianMs / PyTorchMedianMs;

    /// <summary>Timed steps per side.</summary>
    public int StepsPerSide => Blocks.Sum(b => b.Steps);
}

/// <summary>Median step times of one block of each side, in ms; the PyTorch block ran right after ours.</summary>
internal sealed record BlockMedians(int Block, int Steps, double OursMs, double PyTorchMs)
{
    /// <summary>Ours ÷ PyTorch's within this pair of blocks.</summary>
    public double Ratio => OursMs / PyTorchMs;
}
