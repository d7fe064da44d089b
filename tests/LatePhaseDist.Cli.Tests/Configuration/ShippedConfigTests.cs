using LatePhaseDist.Cli.Configuration;
using LatePhaseDist.Cli.Runs;
using LatePhaseDist.Core.Data;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Tests.Configuration;

public sealed class ShippedConfigTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    public static TheoryData<string> ConfigFiles => new(FileNames());

    [Fact]
    public void Configs_IncludeTheDemoLongAndCifarRecipes()
    {
        Assert.Superset(
            new HashSet<string>
            {
                "fashion-mnist-demo.json", "fashion-mnist-long.json", "cifar10-wrn28-10.json", "cifar100-wrn28-10.json",
            },
            FileNames().ToHashSet());
    }

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public void Config_ParsesAndValidates(string file)
    {
        ResolvedConfig config = ConfigLoader.Load(Path.Combine(CliRunner.ConfigsDirectory, file), [], NoEnvironment);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Config.Name);
        Assert.NotNull(config.LatePhase);
        Assert.True(config.Config.Baseline);
        Assert.InRange(config.Config.Training.ReleaseEpoch, 1, config.Config.Training.Epochs - 1);
    }

    [Theory]
    [InlineData("cifar10-wrn28-10.json", 5e-4)]
    [InlineData("cifar100-wrn28-10.json", 5e-3)]
    public void CifarConfig_FollowsTheAuthorsRecipe(string file, double memberWeightDecay)
    {
        ResolvedConfig config = ConfigLoader.Load(Path.Combine(CliRunner.ConfigsDirectory, file), [], NoEnvironment);
        TrainingOptions training = config.Config.Training;
        OptimizerOptions optimizer = training.Optimizer;
        ScheduleOptions schedule = training.Schedule;

        Assert.Equal(("wrn", 28, 10), (config.Model.Kind, config.Model.ResolvedDepth, config.Model.ResolvedWidth));
        Assert.Equal(
            (200, 128, 120, GammaTheta.Sum),
            (training.Epochs, training.BatchSize, training.ReleaseEpoch, training.GammaTheta));
        Assert.Equal(
            ("sgd", 0.1, 0.9, true), (optimizer.Kind, optimizer.LearningRate, optimizer.Momentum, optimizer.Nesterov));
        Assert.Equal((5e-4, memberWeightDecay), (optimizer.WeightDecay, optimizer.MemberWeightDecay));
        Assert.Equal(
            ("anneal", 100, 180, 0.01),
            (schedule.Kind, schedule.AnnealStart, schedule.AnnealEnd, schedule.FinalFactor));
        Assert.Equal((4, true), (config.Augmentation.PadCrop, config.Augmentation.HorizontalFlip));
        Assert.Equal((10, true, true), (config.LatePhase!.Members, config.LatePhase.BatchNorm, config.LatePhase.Head));
    }

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public void Config_TrainsOneStepAtItsRealModelShape(string file) => TrainOneStep(file, released: false);

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public void Config_TrainsOneReleasedCycleAtItsRealModelShape(string file) => TrainOneStep(file, released: true);

    private static void TrainOneStep(string file, bool released)
    {
        string path = Path.Combine(CliRunner.ConfigsDirectory, file);
        ResolvedConfig original = ConfigLoader.Load(path, [], NoEnvironment);
        DataShape shape = original.Shape;
        int minibatches = released && original.Config.LatePhase.Enabled ? original.Config.LatePhase.Members : 1;
        ResolvedConfig config = ConfigLoader.Load(
            path,
            [
                $"data.kind={shape.SyntheticKind}", $"data.syntheticCount={2 * minibatches}", "training.batchSize=2",
                "training.epochs=1", "training.schedule.kind=constant", "training.threads=2",
                $"training.releaseEpoch={(released ? 0 : 1)}",
            ],
            NoEnvironment);
        (ImageDataset train, ImageDataset test) = DatasetSource.Load(config.Config.Data.Kind, null, 2 * minibatches);
        using var _ = test;
        using var __ = train;
        var steps = new List<StepRecord>();

        TrainingResult result = TrainingThread.Run(2, () =>
        {
            LatePhaseModel model = TrainingSession.Build(config, config.MainKind);
            using var network = model.Network;
            using var trainer = new Trainer(
                model, train, config.Augmentation, config.Config.Training, SingleProcessCollective.Instance, null,
                "test", new StepCollector(steps));
            return trainer.Run();
        });

        Assert.Equal(1, result.GlobalSteps);
        StepRecord step = Assert.Single(steps);
        Assert.Equal(minibatches, step.Members.Count);
        Assert.All(step.Members, m => Assert.True(double.IsFinite(m.Loss)));
        Assert.All(step.Members, m => Assert.Equal(2, m.Samples));
        Assert.Equal(released && minibatches > 1 ? "released" : "tied", step.Phase);
    }

    private static List<string> FileNames() =>
        Directory.GetFiles(CliRunner.ConfigsDirectory, "*.json").Select(f => Path.GetFileName(f)).Order().ToList();

    private sealed class StepCollector(List<StepRecord> steps) : ITrainingObserver
    {
        public void OnStep(StepRecord step) => steps.Add(step);

        public void OnEpoch(EpochRecord epoch)
        {
        }

        public void OnRelease(int epoch)
        {
        }

        public void OnCheckpoint(long globalStep, string directory)
        {
        }

        public void OnResume(long globalStep, string directory)
        {
        }
    }
}
