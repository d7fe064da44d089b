using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Core.Tests.Training;

public sealed class ScheduleTests
{
    [Fact]
    public void Anneal_AuthorsRecipe_FlatThenLinearThenFinal()
    {
        var schedule = new ScheduleOptions { Kind = "anneal", AnnealStart = 100, AnnealEnd = 180, FinalFactor = 0.01 };

        // The authors' CIFAR recipe: lr 0.1 flat to epoch 100, linear to 0.001 at 180; T0 = 120 sees 0.07525.
        Assert.Equal(1.0, schedule.Factor(100, 200));
        Assert.Equal(0.7525, schedule.Factor(120, 200), 12);
        Assert.Equal(0.01, schedule.Factor(180, 200), 12);
        Assert.Equal(0.01, schedule.Factor(199, 200), 12);
    }

    [Fact]
    public void Step_Milestones_MultiplyByGamma()
    {
        var schedule = new ScheduleOptions { Kind = "step", Milestones = [10, 15], Gamma = 0.1 };

        Assert.Equal(1.0, schedule.Factor(9, 20));
        Assert.Equal(0.1, schedule.Factor(10, 20), 12);
        Assert.Equal(0.01, schedule.Factor(15, 20), 12);
    }

    [Fact]
    public void Cosine_StartsAtOneAndEndsNearFinal()
    {
        var schedule = new ScheduleOptions { Kind = "cosine", FinalFactor = 0.0 + 1e-3 };

        Assert.Equal(1.0, schedule.Factor(0, 10), 12);
        Assert.Equal(0.5 * (1 + 1e-3), schedule.Factor(5, 10), 12);
    }

    [Theory]
    [InlineData("linear", "training.schedule.kind")]
    [InlineData("anneal", "training.schedule.annealEnd")]
    public void Validate_BadSchedule_NamesTheKey(string kind, string key)
    {
        var schedule = new ScheduleOptions { Kind = kind, AnnealStart = 5, AnnealEnd = 3 };

        var error = Assert.Throws<OptionException>(() => schedule.Validate("training.schedule", 10));

        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Placement_ThreeWorkersTenMembers_DealsMembersRoundRobin()
    {
        var placement = new Placement(3, 1, 10);

        Assert.Equal([1, 4, 7], placement.LocalMembers);
        Assert.Equal([(21, 1), (24, 4), (27, 7)], placement.Work(2, released: true));
        Assert.Equal([(7, 0)], placement.Work(2, released: false));
    }
}
