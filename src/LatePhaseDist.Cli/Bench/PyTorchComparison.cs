using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using LatePhaseDist.Core;
using LatePhaseDist.Core.Training;
using Spectre.Console;
using TorchSharp;

namespace LatePhaseDist.Cli.Bench;

/// <summary>
/// <c>latephase bench pytorch</c>: trains the same pre-activation ResNet, batch and thread count with our
/// <see cref="Trainer"/> and with Debian's real PyTorch (bench/pytorch_step.py under /usr/bin/python3), in alternating
/// blocks (ours, PyTorch, ours, ...) after a warm-up on both, and prints our median step time ÷ PyTorch's
/// (goal ≤ 1.1).
/// </summary>
internal static class PyTorchComparison
{
    /// <summary>Exit code when the interpreter is missing or cannot import torch.</summary>
    public const int PyTorchUnavailableExitCode = ExitCodes.ToolMissing;

    /// <summary>The goal for our step time ÷ PyTorch's.</summary>
    public const double RatioGoal = 1.1;

    private static readonly string ScriptRelativePath = Path.Combine("bench", "pytorch_step.py");

    /// <summary>The <c>pytorch</c> command, to be added under <c>bench</c>; it writes to the process console.</summary>
    public static Command CreateCommand() => CreateCommand(AnsiConsole.Console, Console.Error);

    /// <summary>The <c>pytorch</c> command; it writes its table to <paramref name="console"/>, errors to
    /// <paramref name="error"/>.</summary>
    internal static Command CreateCommand(IAnsiConsole console, TextWriter error)
    {
        PyTorchComparisonOptions defaults = new();
        var depth = Option("--depth", "Pre-activation ResNet depth, 6n+2.", defaults.Depth);
        var width = Option("--width", "Width of the stem and first stage.", defaults.Width);
        var batch = Option("--batch", "Minibatch size.", defaults.BatchSize);
        var threads = Option("--threads", "Torch intra-op threads on both sides (0: every core).", defaults.Threads);
        var blocks = Option("--blocks", "Timed blocks per side, alternating ours and PyTorch.", defaults.Blocks);
        var steps = Option("--steps-per-block", "Training steps in one block.", defaults.StepsPerBlock);
        var warmup = Option("--warmup", "Untimed steps on each side before the first block.", defaults.WarmupSteps);
        var image = Option("--image", "28: 1×28×28 images (Fashion-MNIST's shape); 32: 3×32×32 (CIFAR's).", 28);
        var python = new Option<string>("--python")
        {
            Description = "The interpreter with Debian's python3-torch.",
            DefaultValueFactory = _ => PyTorchComparisonOptions.DefaultPython,
        };
        var script = new Option<string?>("--script")
        {
            Description = "Path of bench/pytorch_step.py (default: found above the working or program directory).",
        };
        var command = new Command(
            "pytorch",
            "Time training steps of the same network, batch and thread count with our trainer and with Debian's " +
            "PyTorch (python3-torch), in alternating blocks, and print our step time ÷ PyTorch's (goal ≤ 1.1).")
        {
            depth, width, batch, threads, blocks, steps, warmup, python, image, script,
        };
        command.SetAction(parse => Execute(error, () => Run(
            new PyTorchComparisonOptions(
                parse.GetValue(depth), parse.GetValue(width), parse.GetValue(batch), parse.GetValue(threads),
                parse.GetValue(blocks), parse.GetValue(steps), parse.GetValue(warmup), parse.GetValue(python)!,
                parse.GetValue(image), parse.GetValue(script)),
            console)));
        return command;
    }

    /// <summary>Validates the settings, runs both sides, prints the table and returns what was measured.</summary>
    /// <exception cref="OptionException">A setting is invalid or the script is not found.</exception>
    /// <exception cref="PyTorchUnavailableException">The interpreter is missing or cannot import torch.</exception>
    /// <exception cref="InvalidOperationException">The two networks differ, or the worker failed.</exception>
    public static PyTorchComparisonResult Run(PyTorchComparisonOptions options, IAnsiConsole console)
    {
        options.Validate();
        string script = FindScript(options.Script);

        console.WriteLine($"Starting the PyTorch worker: {options.Python} {script}", Style.Plain);
        using PyTorchWorker worker = PyTorchWorker.Start(options.Python, script, WorkerArguments(options));
        PyTorchComparisonResult result = TrainingThread.Run(
            options.ResolvedThreads, () => Measure(options, worker, console), "latephase-bench-pytorch");

        Print(console, options, result);
        return result;
    }

    private static PyTorchComparisonResult Measure(
        PyTorchComparisonOptions options, PyTorchWorker worker, IAnsiConsole console)
    {
        using var ours = new TrainerBlocks(options);
        long parameters = CheckSameNetwork(ours.Parameters, worker.Parameters);
        int oursThreads = torch.get_num_threads();
        CheckThreads(options.ResolvedThreads, oursThreads, worker.Threads);

        ours.WarmUp();
        if (options.WarmupSteps > 0)
        {
            worker.Run(options.WarmupSteps);
        }

        var oursSteps = new List<double>();
        var pytorchSteps = new List<double>();
        var blocks = new List<BlockMedians>();
        for (int block = 1; block <= options.Blocks; block++)
        {
            IReadOnlyList<double> oursBlock = ours.RunBlock();
            IReadOnlyList<double> pytorchBlock = worker.Run(options.StepsPerBlock);
            oursSteps.AddRange(oursBlock);
            pytorchSteps.AddRange(pytorchBlock);

            var medians = new BlockMedians(block, oursBlock.Count, Median(oursBlock), Median(pytorchBlock));
            blocks.Add(medians);
            console.WriteLine(
                $"block {block}/{options.Blocks}: ours {F(medians.OursMs, "F1")} ms/step, " +
                $"PyTorch {F(medians.PyTorchMs, "F1")} ms/step",
                Style.Plain);
        }

        string oursVersion = $"TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)} on LibTorch " +
            torch.__version__;
        string pytorchVersion = $"torch {worker.TorchVersion} on Python {worker.PythonVersion}";
        return new PyTorchComparisonResult(
            blocks, Median(oursSteps), Median(pytorchSteps), oursThreads, worker.Threads, parameters, parameters,
            oursVersion, pytorchVersion);
    }

    /// <summary>Fails unless both networks have equal parameter names and shapes; returns the count.</summary>
    private static long CheckSameNetwork(
        IReadOnlyDictionary<string, long[]> ours, IReadOnlyDictionary<string, long[]> pytorch)
    {
        long oursCount = ours.Values.Sum(Elements);
        long pytorchCount = pytorch.Values.Sum(Elements);
        var differences = ours.Keys.Union(pytorch.Keys)
            .Where(name => !(ours.TryGetValue(name, out long[]? a) && pytorch.TryGetValue(name, out long[]? b) &&
                a.SequenceEqual(b)))
            .Order(StringComparer.Ordinal)
            .Select(name => $"{name}: ours {Shape(ours, name)}, PyTorch {Shape(pytorch, name)}")
            .ToList();
        if (oursCount != pytorchCount || differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"The PyTorch network does not mirror ours: {oursCount} parameters against {pytorchCount}, " +
                $"{differences.Count} tensors differ ({string.Join("; ", differences.Take(5))}). " +
                "bench/pytorch_step.py must build what src/LatePhaseDist.Core/Models/PreActResNet.cs builds.");
        }

        return oursCount;
    }

    private static void CheckThreads(int wanted, int ours, int pytorch)
    {
        if (ours != wanted || pytorch != wanted)
        {
            throw new InvalidOperationException(
                $"The sides would not run with the same threads: {wanted} asked for, ours has {ours}, " +
                $"PyTorch {pytorch}.");
        }
    }

    private static void Print(IAnsiConsole console, PyTorchComparisonOptions options, PyTorchComparisonResult result)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("block");
        table.AddColumn(new TableColumn("ours ms/step").RightAligned());
        table.AddColumn(new TableColumn("PyTorch ms/step").RightAligned());
        table.AddColumn(new TableColumn("ours ÷ PyTorch").RightAligned());
        foreach (BlockMedians block in result.Blocks)
        {
            table.AddRow(
                $"{block.Block} ({block.Steps} steps)", F(block.OursMs, "F1"), F(block.PyTorchMs, "F1"),
                F(block.Ratio, "F3"));
        }

        table.AddRow(
            $"all ({result.StepsPerSide} steps)", F(result.OursMedianMs, "F1"), F(result.PyTorchMedianMs, "F1"),
            F(result.Ratio, "F3"));
        table.Caption($"median wall time per training step; batch {options.BatchSize}, threads {result.OursThreads}");
        console.Write(table);

        int channels = options.Channels;
        string[] lines =
        [
            $"model: pre-activation ResNet-{options.Depth}, width {options.Width}, input " +
            $"{channels}×{options.ImageSize}×{options.ImageSize}, {PyTorchComparisonOptions.Classes} classes; " +
            $"parameters: ours {N(result.OursParameters)}, PyTorch {N(result.PyTorchParameters)} " +
            "(names and shapes equal)",
            $"threads: ours {result.OursThreads}, PyTorch {result.PyTorchThreads}; {options.Blocks} blocks of " +
            $"{options.StepsPerBlock} steps per side after warm-up ({options.WarmupSteps} steps each), alternating " +
            "ours, PyTorch",
            $"versions: ours {result.OursVersion}; PyTorch {result.PyTorchVersion} ({options.Python})",
            "work per step, both sides: forward, cross-entropy, backward, loss and accuracy read back, a non-finite " +
            "check over the gradients, SGD (Nesterov, momentum 0.9, weight decay 5e-4), zero_grad",
            "batches: ours are built ahead on the loader's background thread (augmentation off) and only the wait " +
            "is timed; PyTorch's are built inline from uint8 pixels (gather, scale, normalise) and timed",
            $"ours ÷ PyTorch, median ms/step: {F(result.Ratio, "F3")} (goal ≤ {F(RatioGoal, "F1")}: " +
            $"{(result.Ratio <= RatioGoal ? "met" : "not met")})",
        ];
        foreach (string line in lines)
        {
            console.WriteLine(line, Style.Plain);
        }

        if (typeof(Trainer).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled == true)
        {
            console.WriteLine(
                "note: this is a Debug build (JIT optimisation off in our code); quote numbers from a Release build",
                Style.Plain);
        }
    }

    private static int Execute(TextWriter error, Action body)
    {
        try
        {
            body();
            return ExitCodes.Ok;
        }
        catch (OptionException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadConfig;
        }
        catch (PyTorchUnavailableException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return PyTorchUnavailableExitCode;
        }
        catch (Exception ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static string FindScript(string? given)
    {
        if (given is not null)
        {
            OptionException.Require(File.Exists(given), "--script", given, "the path of bench/pytorch_step.py");
            return Path.GetFullPath(given);
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, ScriptRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new OptionException(
            "--script", null, "the path of bench/pytorch_step.py, which is not in a bench/ folder above the working " +
            "directory or the program's directory");
    }

    private static List<string> WorkerArguments(PyTorchComparisonOptions options)
    {
        var arguments = new (string Name, object Value)[]
        {
            ("--depth", options.Depth),
            ("--width", options.Width),
            ("--channels", options.Channels),
            ("--size", options.ImageSize),
            ("--classes", PyTorchComparisonOptions.Classes),
            ("--batch", options.BatchSize),
            ("--threads", options.ResolvedThreads),
            ("--samples", options.StepsPerBlock * options.BatchSize),
            ("--lr", new OptimizerOptions().LearningRate),
            ("--seed", 1),
        };
        return arguments
            .SelectMany(a => new[] { a.Name, Convert.ToString(a.Value, CultureInfo.InvariantCulture)! })
            .ToList();
    }

    private static Option<int> Option(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };

    private static long Elements(long[] shape) => shape.Aggregate(1L, (product, size) => product * size);

    private static string Shape(IReadOnlyDictionary<string, long[]> parameters, string name) =>
        parameters.TryGetValue(name, out long[]? shape) ? $"[{string.Join(", ", shape)}]" : "missing";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
