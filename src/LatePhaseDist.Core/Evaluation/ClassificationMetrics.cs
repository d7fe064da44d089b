using static TorchSharp.torch;

namespace LatePhaseDist.Core.Evaluation;

/// <summary>Classification quality over a set of samples.</summary>
/// <param name="Accuracy">Fraction of samples whose most probable class is the target, in [0, 1].</param>
/// <param name="Nll">Mean negative log-likelihood of the target class, in nats.</param>
/// <param name="Ece">
/// Expected calibration error over <see cref="ClassificationAccumulator.BinCount"/> equal-width confidence bins: the
/// sum over bins of |accuracy − mean confidence| × the bin's fraction of the samples, in [0, 1].
/// </param>
/// <param name="Count">Number of samples; the other values are NaN when it is 0.</param>
public sealed record ClassificationMetrics(double Accuracy, double Nll, double Ece, long Count)
{
    /// <summary>Metrics of unnormalised scores (..., C) against class indices (...).</summary>
    public static ClassificationMetrics FromLogits(Tensor logits, Tensor targets)
    {
        var accumulator = new ClassificationAccumulator();
        accumulator.AddLogits(logits, targets);
        return accumulator.ToMetrics();
    }

    /// <summary>Metrics of class probabilities (..., C) that sum to 1 against class indices (...).</summary>
    public static ClassificationMetrics FromProbabilities(Tensor probabilities, Tensor targets)
    {
        var accumulator = new ClassificationAccumulator();
        accumulator.AddProbabilities(probabilities, targets);
        return accumulator.ToMetrics();
    }
}
