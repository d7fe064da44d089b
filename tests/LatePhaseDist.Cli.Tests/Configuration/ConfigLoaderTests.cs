using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Tests.Configuration;

public sealed class ConfigLoaderTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory temp = new();

    [Fact]
    public void Load_CommentsAndTrailingCommas_AreAccepted()
    {
        string file = temp.Write("c.json", """
            // a comment
            { "training": { "epochs": 3, /* inline */ }, }
            """);

        ResolvedConfig config = ConfigLoader.Load(file, [], NoEnvironment);

        Assert.Equal(3, config.Config.Training.Epochs);
        Assert.Equal("c", config.Config.Name);
        Assert.Equal(Path.GetFullPath(Path.Combine("runs", "c")), config.RunDirectory);
    }

    [Fact]
    public void Load_SetOverrides_ParseJsonOrString()
    {
        string file = temp.Write("c.json", "{}");

        ResolvedConfig config = ConfigLoader.Load(
            file,
            [
                "training.epochs=8", "latePhase.members=4", "training.schedule.kind=step",
                "training.schedule.milestones=[3,5]", "latePhase.merge=recompute", "training.gammaTheta=mean",
                "data.path=/some/dir", "training.optimizer.memberWeightDecay=5e-3", "model.hidden=[32]",
            ],
            NoEnvironment);

        Assert.Equal(8, config.Config.Training.Epochs);
        Assert.Equal(4, config.LatePhase!.Members);
        Assert.Equal([3, 5], config.Config.Training.Schedule.Milestones);
        Assert.Equal(MergePolicy.Recompute, config.Config.LatePhase.Merge);
        Assert.Equal(GammaTheta.Mean, config.Config.Training.GammaTheta);
        Assert.Equal("/some/dir", config.Config.Data.Path);
        Assert.Equal(5e-3, config.Config.Training.Optimizer.MemberWeightDecay);
    }

    [Fact]
    public void Load_EnvironmentThenSet_SetWinsAndNamesAreCaseInsensitive()
    {
        string file = temp.Write("c.json", """{ "training": { "epochs": 6 } }""");
        var environment = new Dictionary<string, string>
        {
            ["LATEPHASE__TRAINING__EPOCHS"] = "3",
            ["latephase__training__optimizer__learningrate"] = "0.2",
            ["LATEPHASE__LATEPHASE__MEMBERS"] = "5",
            ["UNRELATED"] = "x",
        };

        ResolvedConfig config = ConfigLoader.Load(file, ["training.epochs=2"], environment);

        Assert.Equal(2, config.Config.Training.Epochs);
        Assert.Equal(0.2, config.Config.Training.Optimizer.LearningRate);
        Assert.Equal(5, config.LatePhase!.Members);
    }

    [Fact]
    public void Load_SetObjectValue_ChecksItsKeys()
    {
        string file = temp.Write("c.json", "{}");

        var error = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(file, ["training.schedule={\"kind\":\"step\",\"milestone\":[2]}"], NoEnvironment));

        Assert.Equal("training.schedule.milestone", error.Key);
        Assert.Contains("milestones", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Defaults_AreResolvedIntoTheConfig()
    {
        string file = temp.Write("c.json", """{ "data": { "kind": "synthetic-32" }, "model": { "kind": "wrn" } }""");

        ResolvedConfig config = ConfigLoader.Load(file, [], NoEnvironment);

        Assert.Equal(28, config.Config.Model.Depth);
        Assert.Equal(10, config.Config.Model.Width);
        Assert.Equal(4, config.Config.Data.Augment.PadCrop);
        Assert.True(config.Config.Data.Augment.Flip);
        Assert.Equal((3, 32, 10), (config.Model.InputChannels, config.Model.InputSize, config.Model.Classes));
    }

    [Fact]
    public void Hash_IgnoresKeyOrderAndPresentationKeys_ButNotEpochs()
    {
        string a = temp.Write("a.json", """{ "training": { "epochs": 4, "batchSize": 64 }, "model": { "depth": 8 }}""");
        string b = temp.Write("b.json", """{ "model": { "depth": 8 }, "training": { "batchSize": 64, "epochs": 4 }}""");
        RunConfig first = ConfigLoader.Load(a, [], NoEnvironment).Config;
        RunConfig second = ConfigLoader.Load(
            b, ["output=/elsewhere", "training.threads=1", "evaluation.batchSize=7", "latePhase.merge=recompute"],
            NoEnvironment).Config;
        RunConfig longer = ConfigLoader.Load(a, ["training.epochs=5"], NoEnvironment).Config;

        string hash = ConfigHash.Compute(first, RunKind.LatePhase);

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, ConfigHash.Compute(second, RunKind.LatePhase));
        Assert.NotEqual(hash, ConfigHash.Compute(longer, RunKind.LatePhase));
        Assert.NotEqual(hash, ConfigHash.Compute(first, RunKind.Baseline));
    }

    public void Dispose() => temp.Dispose();
}
