using System.Text.Json.Nodes;
using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Cli.Runs;
using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.Evaluation;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Tests.Commands;

/// <summary>
/// One small late-phase run with a baseline (synthetic 28×28 data, ResNet-8 of width 4, 2 epochs, T0 = 1, K = 2),
/// trained once for the class and then checked, resumed and evaluated.
/// </summary>
public sealed class TrainCommandTests : IClassFixture<TrainCommandTests.TrainedRun>
{
    private const int StepsBeforeRelease = 8;
    private const int CyclesAfterRelease = 4;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly TrainedRun run;

    public TrainCommandTests(TrainedRun run)
    {
        this.run = run;
    }

    [Fact]
    public void Train_SmallRun_Succeeds()
    {
        Assert.True(run.First.ExitCode == 0, run.First.Error);
        Assert.Contains("late-phase merged (fold)", run.First.Output, StringComparison.Ordinal);
        Assert.Contains("baseline", run.First.Output, StringComparison.Ordinal);
        Assert.Contains("ensemble (K = 2)", run.First.Output, StringComparison.Ordinal);
        Assert.Contains("members released before epoch 2", run.First.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SmallRun_WritesTheRunDirectory()
    {
        var layout = new RunLayout(run.Directory);

        Assert.True(File.Exists(layout.ResolvedConfig));
        Assert.True(File.Exists(layout.MergedModel));
        Assert.True(File.Exists(layout.PlainModel(RunKind.Baseline)));
        Assert.True(File.Exists(layout.ResultsJson));
        Assert.Contains(
            "| late-phase merged (fold) |", File.ReadAllText(layout.ResultsMarkdown), StringComparison.Ordinal);
        Assert.NotEmpty(Manifests(layout.Checkpoints(RunKind.LatePhase)));
        Assert.NotEmpty(Manifests(layout.Checkpoints(RunKind.Baseline)));
        RunConfig resolved = ConfigLoader.ReadResolved(layout.ResolvedConfig);
        Assert.Equal(2, resolved.LatePhase.Members);
    }

    [Fact]
    public void Train_SmallRun_WritesOneMetricsLinePerStepAndEpoch()
    {
        var layout = new RunLayout(run.Directory);

        List<JsonObject> lines = ReadLines(layout.Metrics(RunKind.LatePhase));
        List<JsonObject> baseline = ReadLines(layout.Metrics(RunKind.Baseline));

        Assert.Equal(StepsBeforeRelease + CyclesAfterRelease, lines.Count(l => Type(l) == "step"));
        Assert.Equal(2, lines.Count(l => Type(l) == "epoch"));
        Assert.Single(lines, l => Type(l) == "release");
        Assert.Equal(2 * StepsBeforeRelease, baseline.Count(l => Type(l) == "step"));
        Assert.All(lines, l => Assert.Equal("late-phase", l["run"]!.GetValue<string>()));
        JsonObject lastEpoch = lines.Last(l => Type(l) == "epoch");
        Assert.Equal(2, lastEpoch["memberSpread"]!.AsArray().Count);
    }

    [Fact]
    public void Train_SmallRun_WritesFourPngPlots()
    {
        string plots = new RunLayout(run.Directory).Plots;

        foreach (string name in new[] { "loss.png", "accuracy.png", "learning-rate.png", "member-spread.png" })
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(plots, name));
            Assert.True(bytes.Length > 10_000, $"{name} has only {bytes.Length} bytes");
            Assert.Equal(PngSignature, bytes[..8]);
        }
    }

    [Fact]
    public void MergedModel_LoadsIntoAPlainNetwork_WithTheReportedAccuracy()
    {
        var layout = new RunLayout(run.Directory);
        ResolvedConfig config = ConfigResolver.Resolve(ConfigLoader.ReadResolved(layout.ResolvedConfig), "run");
        JsonNode results = JsonNode.Parse(File.ReadAllText(layout.ResultsJson))!;
        (ImageDataset train, ImageDataset test) = DatasetSource.Load("synthetic-28", null, 256);
        using var _ = train;
        using var __ = test;

        ClassificationMetrics metrics = TrainingThread.Run(2, () =>
        {
            using var network = NetworkFiles.Load(config.Model, layout.MergedModel);
            Assert.DoesNotContain(network.modules(), m => m is LatePhaseLayer);
            return Evaluator.Evaluate(network, DataBatches.Labelled(test, config.Augmentation, 17));
        });

        Assert.Equal(results["merged"]!["accuracy"]!.GetValue<double>(), metrics.Accuracy);
        Assert.Equal(results["merged"]!["nll"]!.GetValue<double>(), metrics.Nll, 1e-6);
        Assert.Equal(test.Count, metrics.Count);
    }

    [Fact]
    public void Train_SameCommandAgain_ResumesWithoutRetraining()
    {
        Assert.True(run.Second.ExitCode == 0, run.Second.Error);
        Assert.Contains("late-phase: resumed after step 12/12", run.Second.Output, StringComparison.Ordinal);
        Assert.Contains("baseline: resumed after step 16/16", run.Second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch 1/2", run.Second.Output, StringComparison.Ordinal);
        Assert.Equal(run.FirstResults, run.SecondResults);
        var layout = new RunLayout(run.Directory);
        Assert.Equal(
            StepsBeforeRelease + CyclesAfterRelease,
            ReadLines(layout.Metrics(RunKind.LatePhase)).Count(l => Type(l) == "step"));
    }

    [Fact]
    public void Eval_TrainedRun_PrintsTheSameTable()
    {
        CliResult result = CliRunner.Run(["eval", "--run", run.Directory]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(TableRows(run.Second.Output), TableRows(result.Output));
        Assert.Contains("members: mean", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_SameDirectoryWithOtherSettings_IsRefused()
    {
        CliResult result = CliRunner.Run(
            ["train", "--config", run.Config, "--output", run.Directory, "--set", "training.epochs=3"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("training.epochs: 2 -> 3", result.Error, StringComparison.Ordinal);
    }

    private static List<JsonObject> ReadLines(string path) =>
        File.ReadLines(path).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();

    private static string[] Manifests(string checkpoints) =>
        Directory.GetFiles(checkpoints, "manifest.json", SearchOption.AllDirectories);

    private static string Type(JsonObject line) => line["type"]!.GetValue<string>();

    private static List<string> TableRows(string output) =>
        output.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.TrimEnd()).ToList();

    /// <summary>Trains the run once and then runs the same command again.</summary>
    public sealed class TrainedRun : IDisposable
    {
        private readonly TempDirectory temp = new();

        public TrainedRun()
        {
            Config = temp.Write("small.json", """
                {
                  "data": { "kind": "synthetic-28", "syntheticCount": 256 },
                  "model": { "kind": "resnet", "depth": 8, "width": 4 },
                  "latePhase": { "members": 2 },
                  "training": {
                    "epochs": 2, "batchSize": 32, "releaseEpoch": 1, "threads": 2,
                    "optimizer": { "learningRate": 0.05 }
                  },
                  "baseline": true,
                  "evaluation": { "batchSize": 25 }
                }
                """);
            Directory = Path.Combine(temp.Path, "run");
            string[] args = ["train", "--config", Config, "--output", Directory];
            First = CliRunner.Run(args);
            FirstResults = ReadResults();
            Second = CliRunner.Run(args);
            SecondResults = ReadResults();
        }

        public string Config { get; }

        public string Directory { get; }

        internal CliResult First { get; }

        internal CliResult Second { get; }

        public string FirstResults { get; }

        public string SecondResults { get; }

        public void Dispose() => temp.Dispose();

        private string ReadResults()
        {
            string path = new RunLayout(Directory).ResultsJson;
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
    }
}
