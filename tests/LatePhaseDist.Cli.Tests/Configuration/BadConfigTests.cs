namespace LatePhaseDist.Cli.Tests.Configuration;

public sealed class BadConfigTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public static TheoryData<string, string> BadSettings => new()
    {
        { "training.epochs=-1", "training.epochs" },
        { "training.epochs=0", "training.epochs" },
        { "training.epochs=\"abc\"", "training.epochs" },
        { "training.epochs=2.5", "training.epochs" },
        { "training.epochz=2", "training.epochz" },
        { "trainin.epochs=2", "trainin" },
        { "training.gammaTheta=avg", "training.gammaTheta" },
        { "latePhase.merge=average", "latePhase.merge" },
        { "latePhase.members=0", "latePhase.members" },
        { "training.schedule.milestones=[5,3]", "training.schedule.milestones" },
        { "training.schedule.milestones=[0]", "training.schedule.milestones" },
        { "training.schedule.kind=exponential", "training.schedule.kind" },
        { "training.optimizer.kind=rmsprop", "training.optimizer.kind" },
        { "training.optimizer.learningRate=0", "training.optimizer.learningRate" },
        { "training.optimizer.momentum=1", "training.optimizer.momentum" },
        { "training.batchSize=0", "training.batchSize" },
        { "training.releaseEpoch=-2", "training.releaseEpoch" },
        { "training=null", "training" },
        { "data.kind=svhn", "data.kind" },
        { "data.kind=cifar10", "data.path" },
        { "data.augment.padCrop=-1", "data.augment.padCrop" },
        { "model.kind=vgg", "model.kind" },
        { "model.depth=7", "model.depth" },
        { "evaluation.batchSize=0", "evaluation.batchSize" },
        { "name=a/b", "name" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Train_BadSetting_IsRefusedWithExitCode2NamingTheKey(string setting, string key)
    {
        string config = temp.Write("ok.json", """{ "data": { "kind": "synthetic-28", "syntheticCount": 64 } }""");

        CliResult result = CliRunner.Run(["train", "--config", config, "--set", setting, "--output", temp.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(key, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_UnknownKeyInFile_IsRefusedNamingTheKeyAndTheAllowedOnes()
    {
        string config = temp.Write("bad.json", """{ "training": { "epochs": 2, "warmup": 1 } }""");

        CliResult result = CliRunner.Run(["train", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("training.warmup", result.Error, StringComparison.Ordinal);
        Assert.Contains("releaseEpoch", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WrongCaseKeyInFile_SuggestsTheRightOne()
    {
        string config = temp.Write("bad.json", """{ "Training": { "epochs": 2 } }""");

        CliResult result = CliRunner.Run(["train", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Did you mean \"training\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_UnknownKeyInEnvironment_IsRefusedNamingTheVariable()
    {
        string config = temp.Write("ok.json", """{ "data": { "kind": "synthetic-28" } }""");
        var environment = new Dictionary<string, string> { ["LATEPHASE__TRAINING__EPOCHZ"] = "2" };

        CliResult result = CliRunner.Run(["train", "--config", config], environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("LATEPHASE__TRAINING__EPOCHZ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_InvalidEnvironmentValue_IsRefusedNamingTheKey()
    {
        string config = temp.Write("ok.json", """{ "data": { "kind": "synthetic-28" } }""");
        var environment = new Dictionary<string, string> { ["LATEPHASE__TRAINING__EPOCHS"] = "-3" };

        CliResult result = CliRunner.Run(["train", "--config", config], environment);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("training.epochs = -3", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_BaselineWithoutLatePhase_IsRefused()
    {
        string config = temp.Write("ok.json", """{ "latePhase": { "enabled": false }, "baseline": true }""");

        CliResult result = CliRunner.Run(["train", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("baseline", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_InvalidJson_IsRefused()
    {
        string config = temp.Write("bad.json", """{ "training": { "epochs": } }""");

        CliResult result = CliRunner.Run(["train", "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("train", "--config", "/no/such/file.json")]
    [InlineData("train")]
    [InlineData("train", "--config", "x.json", "--bogus")]
    [InlineData("frobnicate")]
    [InlineData("train", "--config", "x.json", "--set", "no-equals-sign")]
    public void Cli_BadArguments_ExitWithCode2(params string[] args)
    {
        CliResult result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_MissingDataFiles_ExitWithCode3()
    {
        string config = temp.Write("mnist.json", $$"""
            { "data": { "kind": "mnist", "path": "{{Path.Combine(temp.Path, "absent")}}" } }
            """);

        CliResult result = CliRunner.Run(["train", "--config", config, "--output", Path.Combine(temp.Path, "run")]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("absent", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => temp.Dispose();
}
