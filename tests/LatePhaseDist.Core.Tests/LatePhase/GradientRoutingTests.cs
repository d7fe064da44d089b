using LatePhaseDist.Core.LatePhase;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.LatePhase;

public sealed class GradientRoutingTests
{
    [Fact]
    public void Backward_ReleasedWithActiveMember2_OnlyMember2GetsGradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        var network = new ConvBnNet();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 4 });
        model.Release(0, seed: 3);
        model.SetActiveMember(2);

        network.train();
        network.forward(randn(4, 3, 5, 5)).square().sum().backward();

        AssertGradientsOnlyOn(model, 2);
    }

    [Fact]
    public void Backward_BeforeRelease_OnlyTiedMember0GetsGradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        var network = new ConvBnNet();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 4 });
        model.SetActiveMember(2);

        network.train();
        network.forward(randn(4, 3, 5, 5)).square().sum().backward();

        AssertGradientsOnlyOn(model, 0);
    }

    private static void AssertGradientsOnlyOn(LatePhaseModel model, int member)
    {
        Assert.All(model.SharedParameters(), p => Assert.NotNull(p.grad));
        for (int k = 0; k < model.MemberCount; k++)
        {
            IReadOnlyList<Parameter> parameters = model.MemberParameters(k);
            Assert.NotEmpty(parameters);
            if (k == member)
            {
                Assert.All(parameters, p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
            }
            else
            {
                Assert.All(parameters, p => Assert.Null(p.grad));
            }
        }
    }
}
