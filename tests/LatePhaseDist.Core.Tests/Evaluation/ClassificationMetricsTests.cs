using LatePhaseDist.Core.Evaluation;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    // Confidences 0.7 and 0.68 fall in bin 10 = (10/15, 11/15], 0.9 in bin 13, 0.5 in bin 7.
    private static readonly double[,] Probabilities =
    {
        { 0.70, 0.20, 0.10 }, // target 0: right
        { 0.10, 0.68, 0.22 }, // target 2: wrong
        { 0.05, 0.05, 0.90 }, // target 2: right
        { 0.50, 0.30, 0.20 }, // target 1: wrong
    };

    private static readonly long[] Targets = [0, 2, 2, 1];

    private static readonly double ExpectedNll =
        -(Math.Log(0.70) + Math.Log(0.22) + Math.Log(0.90) + Math.Log(0.30)) / 4;

    // Bin 10: 2 samples, accuracy 1/2, confidence 0.69; bin 13: 1 sample, 1 vs 0.9; bin 7: 1 sample, 0 vs 0.5.
    private static readonly double ExpectedEce =
        (Math.Abs(0.5 - 0.69) * 2 / 4) + (Math.Abs(1 - 0.9) * 1 / 4) + (Math.Abs(0 - 0.5) * 1 / 4);

    [Fact]
    public void FromProbabilities_HandMadeCase_MatchesHandComputedMetrics()
    {
        using var scope = NewDisposeScope();

        ClassificationMetrics metrics = ClassificationMetrics.FromProbabilities(tensor(Probabilities), tensor(Targets));

        Assert.Equal(0.5, metrics.Accuracy, 12);
        Assert.Equal(ExpectedNll, metrics.Nll, 12);
        Assert.Equal(0.245, ExpectedEce, 12);
        Assert.Equal(ExpectedEce, metrics.Ece, 12);
        Assert.Equal(4, metrics.Count);
    }

    [Fact]
    public void FromLogits_ShiftedLogProbabilities_MatchesHandComputedMetrics()
    {
        using var scope = NewDisposeScope();
        Tensor logits = tensor(Probabilities).log() + tensor(new double[] { 3, -1, 0.5, 7 }).unsqueeze(1);

        ClassificationMetrics metrics = ClassificationMetrics.FromLogits(logits.to(float32), tensor(Targets));

        Assert.Equal(0.5, metrics.Accuracy, 12);
        Assert.Equal(ExpectedNll, metrics.Nll, 6);
        Assert.Equal(ExpectedEce, metrics.Ece, 6);
    }

    [Fact]
    public void Accumulator_SplitIntoBatches_EqualsTheWholeSet()
    {
        using var scope = NewDisposeScope();
        manual_seed(71);
        Tensor logits = randn(50, 7, float64) * 3;
        Tensor targets = randint(0, 7, [50]);
        var accumulator = new ClassificationAccumulator();

        foreach ((long start, long length) in new[] { (0L, 13L), (13L, 1L), (14L, 36L) })
        {
            accumulator.AddLogits(logits.narrow(0, start, length), targets.narrow(0, start, length));
        }

        ClassificationMetrics whole = ClassificationMetrics.FromLogits(logits, targets);
        ClassificationMetrics split = accumulator.ToMetrics();
        Assert.Equal(whole.Accuracy, split.Accuracy, 12);
        Assert.Equal(whole.Nll, split.Nll, 12);
        Assert.Equal(whole.Ece, split.Ece, 12);
        Assert.Equal(50, split.Count);
    }

    [Fact]
    public void FromLogits_SequenceOutputs_FlattensLeadingDimensions()
    {
        using var scope = NewDisposeScope();
        manual_seed(72);
        Tensor logits = randn(2, 3, 5, float64);
        Tensor targets = randint(0, 5, [2, 3]);

        ClassificationMetrics metrics = ClassificationMetrics.FromLogits(logits, targets);

        Assert.Equal(ClassificationMetrics.FromLogits(logits.reshape(6, 5), targets.reshape(6)), metrics);
        Assert.Equal(6, metrics.Count);
    }

    [Fact]
    public void ToMetrics_NoSamples_IsNaNWithCountZero()
    {
        var accumulator = new ClassificationAccumulator();

        ClassificationMetrics metrics = accumulator.ToMetrics();

        Assert.Equal(0, metrics.Count);
        Assert.True(double.IsNaN(metrics.Accuracy) && double.IsNaN(metrics.Nll) && double.IsNaN(metrics.Ece));
    }
}
