using LatePhaseDist.Core.Evaluation;
using LatePhaseDist.Core.LatePhase;
using LatePhaseDist.Core.Tests.LatePhase;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Evaluation;

public sealed class EvaluatorTests
{
    [Fact]
    public void Evaluate_MixedModeNetwork_MatchesEvalForwardAndRestoresModes()
    {
        using var scope = NewDisposeScope();
        manual_seed(81);
        var network = new MlpBnNet().to(float64);
        var batches = Batches(float64, 8, 8, 4, 5);
        network.train();
        NormBase bn2 = network.modules().OfType<NormBase>().Last();
        bn2.eval();

        ClassificationMetrics metrics = Evaluator.Evaluate(network, batches);

        Assert.True(network.training);
        Assert.False(bn2.training);
        Assert.All(network.modules().Where(m => m != bn2), m => Assert.True(m.training));
        network.eval();
        Tensor logits = cat(batches.Select(b => network.forward(b.Inputs)).ToArray());
        Tensor targets = cat(batches.Select(b => b.Targets).ToArray());
        AssertClose(ClassificationMetrics.FromLogits(logits, targets), metrics, 1e-12);
        Assert.Equal(25, metrics.Count);
    }

    [Fact]
    public void EvaluateLatePhase_IdenticalMembers_EnsembleAndMergedEqualEachMember()
    {
        using var scope = NewDisposeScope();
        manual_seed(82);
        var network = new ConvBnNet().to(float64);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0, seed: 1);
        var merged = model.MergeInto(new ConvBnNet().to(float64), MergePolicy.Fold);
        var batches = ImageBatches(float64, 6, 5);

        EvaluationReport report = Evaluator.EvaluateLatePhase(model, merged, () => batches);

        Assert.Equal(3, report.Members.Count);
        Assert.NotNull(report.Ensemble);
        Assert.NotNull(report.Merged);
        foreach (ClassificationMetrics other in report.Members.Skip(1).Append(report.Ensemble).Append(report.Merged))
        {
            AssertClose(report.Members[0], other, 1e-12);
        }
    }

    [Fact]
    public void EvaluateLatePhase_DifferentMembers_EnsembleIsMeanOfMemberSoftmaxes()
    {
        using var scope = NewDisposeScope();
        manual_seed(83);
        var network = new ConvBnNet().to(float64);
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });
        model.Release(0, seed: 1);
        LatePhaseTestData.MakeMembersDiffer(model);
        model.SetActiveMember(2);
        model.SetOutput(LatePhaseOutput.MemberMean);
        network.train();
        var batches = ImageBatches(float64, 6, 5, 7);
        int calls = 0;

        EvaluationReport report = Evaluator.EvaluateLatePhase(model, null, () =>
        {
            calls++;
            return batches;
        });

        Assert.Equal(1, calls);
        Assert.Equal(2, model.Layers[0].Layer.ActiveMember);
        Assert.Equal(LatePhaseOutput.MemberMean, model.Layers[2].Layer.Output);
        Assert.True(network.training);
        Assert.Null(report.Merged);
        Tensor input = cat(batches.Select(b => b.Inputs).ToArray());
        Tensor targets = cat(batches.Select(b => b.Targets).ToArray());
        network.eval();
        model.SetOutput(LatePhaseOutput.Active);
        var probabilities = new List<Tensor>();
        for (int k = 0; k < 3; k++)
        {
            model.SetActiveMember(k);
            Tensor logits = network.forward(input);
            probabilities.Add(logits.softmax(-1));
            AssertClose(ClassificationMetrics.FromLogits(logits, targets), report.Members[k], 1e-12);
        }

        var expected = ClassificationMetrics.FromProbabilities(stack(probabilities).mean([0L]), targets);
        AssertClose(expected, report.Ensemble!, 1e-12);
        Assert.NotEqual(report.Members[0].Nll, report.Members[1].Nll);
    }

    [Fact]
    public void EvaluateLatePhase_PlainNetwork_HasOneMemberAndNoEnsemble()
    {
        using var scope = NewDisposeScope();
        manual_seed(84);
        var network = new MlpBnNet();
        var batches = Batches(float32, 5, 5);

        EvaluationReport report = Evaluator.EvaluateLatePhase(LatePhaseModel.Plain(network), network, () => batches);

        Assert.Single(report.Members);
        Assert.Null(report.Ensemble);
        Assert.Equal(report.Members[0], report.Merged);
        Assert.Equal(Evaluator.Evaluate(network, batches), report.Members[0]);
    }

    [Fact]
    public void EvaluateLatePhase_BeforeRelease_HasOneMemberAndNoEnsemble()
    {
        using var scope = NewDisposeScope();
        manual_seed(85);
        var network = new ConvBnNet();
        LatePhaseModel model = LatePhaseConverter.Convert(network, new LatePhaseOptions { Members = 3 });

        EvaluationReport report = Evaluator.EvaluateLatePhase(model, null, () => ImageBatches(float32, 4));

        Assert.Single(report.Members);
        Assert.Null(report.Ensemble);
        Assert.Equal(4, report.Members[0].Count);
    }

    private static void AssertClose(ClassificationMetrics expected, ClassificationMetrics actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Accuracy, actual.Accuracy, tolerance);
        Assert.Equal(expected.Nll, actual.Nll, tolerance);
        Assert.Equal(expected.Ece, actual.Ece, tolerance);
    }

    private static List<(Tensor Inputs, Tensor Targets)> Batches(ScalarType type, params int[] sizes) =>
        sizes.Select(n => (randn(n, 8, type), randint(0, 4, [n]))).ToList();

    private static List<(Tensor Inputs, Tensor Targets)> ImageBatches(ScalarType type, params int[] sizes) =>
        sizes.Select(n => (randn(n, 3, 5, 5, type), randint(0, 5, [n]))).ToList();
}
