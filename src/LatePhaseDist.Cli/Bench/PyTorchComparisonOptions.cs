using LatePhaseDist.Core;

namespace LatePhaseDist.Cli.Bench;

/// <summary>Settings of <c>latephase bench pytorch</c>; the names in messages are the command-line options.</summary>
/// <param name="Depth">Pre-activation ResNet depth, 6n+2 (--depth); default 8.</param>
/// <param name="Width">Width of the stem and first stage (--width); default 16.</param>
/// <param name="BatchSize">Minibatch size (--batch); default 128.</param>
/// <param name="Threads">Torch intra-op threads on both sides (--threads), 0 for every core; default 2.</param>
/// <param name="Blocks">Timed blocks per side (--blocks), alternating ours and PyTorch; default 6.</param>
/// <param name="StepsPerBlock">Training steps in one block (--steps-per-block); default 10.</param>
/// <param name="WarmupSteps">Untimed steps on each side before the first block (--warmup); default 5.</param>
/// <param name="Python">The interpreter that has python3-torch (--python); default /usr/bin/python3.</param>
/// <param name="ImageSize">28 for 1×28×28 images (Fashion-MNIST), 32 for 3×32×32 (CIFAR) (--image).</param>
/// <param name="Script">bench/pytorch_step.py (--script); null finds it above the working or program directory.</param>
internal sealed record PyTorchComparisonOptions(
    int Depth = 8,
    int Width = 16,
    int BatchSize = 128,
    int Threads = 2,
    int Blocks = 6,
    int StepsPerBlock = 10,
    int WarmupSteps = 5,
    string Python = PyTorchComparisonOptions.DefaultPython,
    int ImageSize = 28,
    string? Script = null)
{
    /// <summary>Debian's interpreter, the one python3-torch installs into.</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>Classes of the synthetic task on both sides.</summary>
    public const int Classes = 10;

    /// <summary>Input channels: 1 for 28-pixel images, 3 for 32-pixel ones.</summary>
    public int Channels => ImageSize == 32 ? 3 : 1;

    /// <summary>The thread count both sides use: <see cref="Threads"/>, or every core when it is 0.</summary>
    public int ResolvedThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>Refuses a setting that cannot run, naming its option.</summary>
    /// <exception cref="OptionException">A setting is out of range.</exception>
    public void Validate()
    {
        OptionException.Require(
            Depth >= 8 && (Depth - 2) % 6 == 0, "--depth", Depth, "6n+2 with n >= 1 (8, 14, 20, ...)");
        OptionException.Require(Width >= 1, "--width", Width, "an integer >= 1");
        OptionException.Require(BatchSize >= 1, "--batch", BatchSize, "an integer >= 1");
        OptionException.Require(Threads >= 0, "--threads", Threads, "0 (every core) or a thread count");
        OptionException.Require(Blocks >= 1, "--blocks", Blocks, "an integer >= 1");
        OptionException.Require(StepsPerBlock >= 1, "--steps-per-block", StepsPerBlock, "an integer >= 1");
        OptionException.Require(WarmupSteps >= 0, "--warmup", WarmupSteps, "an integer >= 0");
        OptionException.Require(!string.IsNullOrWhiteSpace(Python), "--python", Python, "a path to python3");
        OptionException.Require(
            ImageSize is 28 or 32, "--image", ImageSize, "28 (1×28×28, Fashion-MNIST) or 32 (3×32×32, CIFAR)");
    }
}
