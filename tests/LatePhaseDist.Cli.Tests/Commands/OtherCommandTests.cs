using LatePhaseDist.Cli.Runs;

namespace LatePhaseDist.Cli.Tests.Commands;

public sealed class OtherCommandTests : IDisposable
{
    private readonly TempDirectory temp = new();

    [Fact]
    public void Train_PlainRun_SavesAPlainModelAndPlots()
    {
        string config = temp.Write("plain.json", """
            {
              "data": { "kind": "synthetic-28", "syntheticCount": 128 },
              "model": { "kind": "mlp", "hidden": [16] },
              "latePhase": { "enabled": false },
              "training": { "epochs": 1, "batchSize": 32, "threads": 1 }
            }
            """);
        string directory = Path.Combine(temp.Path, "run");

        CliResult result = CliRunner.Run(["train", "--config", config, "--output", directory]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("│ plain", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(directory, "model.dat")));
        Assert.Equal(4, Directory.GetFiles(new RunLayout(directory).Plots, "*.png").Length);
    }

    [Fact]
    public void Train_RecomputeMerge_EvaluatesTheMergedNetwork()
    {
        string config = temp.Write("recompute.json", """
            {
              "data": { "kind": "synthetic-28", "syntheticCount": 256 },
              "model": { "kind": "mlp", "hidden": [16] },
              "latePhase": { "members": 2, "merge": "recompute" },
              "training": { "epochs": 2, "batchSize": 32, "releaseEpoch": 1, "threads": 1 }
            }
            """);

        CliResult result = CliRunner.Run(["train", "--config", config, "--output", Path.Combine(temp.Path, "run")]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("late-phase merged (recompute)", result.Output, StringComparison.Ordinal);
        Assert.Contains("ensemble (K = 2)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_NoLatePhaseLayersLeft_IsRefused()
    {
        string config = temp.Write("nolayers.json", """
            {
              "data": { "kind": "synthetic-28" },
              "model": { "kind": "mlp", "mlpBatchNorm": false },
              "latePhase": { "head": false }
            }
            """);

        CliResult result = CliRunner.Run(["train", "--config", config, "--output", Path.Combine(temp.Path, "run")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("latePhase.head", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_DivergingRun_ExitsWithCode4()
    {
        string config = temp.Write("diverge.json", """
            {
              "data": { "kind": "synthetic-28", "syntheticCount": 256 },
              "model": { "kind": "mlp", "hidden": [16], "mlpBatchNorm": false },
              "latePhase": { "enabled": false },
              "training": {
                "epochs": 1, "batchSize": 32, "threads": 1, "maxConsecutiveSkips": 1,
                "optimizer": { "learningRate": 1e30, "momentum": 0, "nesterov": false }
              }
            }
            """);

        CliResult result = CliRunner.Run(["train", "--config", config, "--output", Path.Combine(temp.Path, "run")]);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("non-finite", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_NotARunDirectory_ExitsWithCode2()
    {
        CliResult result = CliRunner.Run(["eval", "--run", temp.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("config.resolved.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchStepOverhead_TinySettings_PrintsBothTimingsAndTheRatio()
    {
        CliResult result = CliRunner.Run(
        [
            "bench", "step-overhead", "--model", "mlp", "--batch", "8", "--members", "2", "--steps", "4",
            "--blocks", "1", "--threads", "1",
        ]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("late-phase BN (K = 2)", result.Output, StringComparison.Ordinal);
        Assert.Contains("late-phase / plain:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchStepOverhead_BadMembers_ExitsWithCode2()
    {
        CliResult result = CliRunner.Run(["bench", "step-overhead", "--members", "0"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--members", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => temp.Dispose();
}
