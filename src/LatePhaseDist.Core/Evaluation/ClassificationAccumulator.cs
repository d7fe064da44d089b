using static TorchSharp.torch;

namespace LatePhaseDist.Core.Evaluation;

/// <summary>
/// Accumulates classification results batch by batch so that accuracy, NLL and ECE are exact over the whole set:
/// it keeps the sample count, correct count and NLL sum, and per confidence bin the count, the sum of confidences and
/// the number correct. Confidence bins are (b/15, (b+1)/15] for b = 0..14 (a confidence of 0 falls in bin 0).
/// </summary>
public sealed class ClassificationAccumulator
{
    /// <summary>Number of equal-width confidence bins of the ECE: 15.</summary>
    public const int BinCount = 15;

    private readonly long[] binCounts = new long[BinCount];
    private readonly double[] binConfidence = new double[BinCount];
    private readonly long[] binCorrect = new long[BinCount];
    private long count;
    private long correct;
    private double nllSum;

    /// <summary>Number of samples added so far.</summary>
    public long Count => count;

    /// <summary>Adds unnormalised scores (..., C) for class indices (...); the softmax is taken in float64.</summary>
    public void AddLogits(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        AddLogProbabilities(logits.detach().to(float64).log_softmax(-1), targets);
    }

    /// <summary>Adds class probabilities (..., C) for class indices (...); a zero probability of the target gives an
    /// infinite NLL.</summary>
    public void AddProbabilities(Tensor probabilities, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        AddLogProbabilities(probabilities.detach().to(float64).log(), targets);
    }

    /// <summary>Adds log-probabilities (..., C) for class indices (...).</summary>
    public void AddLogProbabilities(Tensor logProbabilities, Tensor targets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long classes = logProbabilities.shape[^1];
        Tensor logp = logProbabilities.detach().to(float64).reshape(-1, classes);
        Tensor target = targets.reshape(-1).to(int64, logp.device);
        if (target.shape[0] != logp.shape[0])
        {
            throw new ArgumentException(
                $"{target.shape[0]} targets for {logp.shape[0]} predictions.", nameof(targets));
        }

        (Tensor maxLogp, Tensor predicted) = logp.max(1);
        Tensor confidence = maxLogp.exp();
        Tensor hit = predicted.eq(target).to(float64);
        Tensor nll = logp.gather(1, target.unsqueeze(1)).neg().sum();
        Tensor bin = (confidence * BinCount).ceil().sub(1).clamp(0, BinCount - 1).to(int64);
        Tensor perBin = zeros(3, BinCount, float64, logp.device);
        perBin[0].scatter_add_(0, bin, ones_like(confidence));
        perBin[1].scatter_add_(0, bin, confidence);
        perBin[2].scatter_add_(0, bin, hit);

        // One transfer to the host per batch.
        double[] totals = cat([perBin.flatten(), stack([hit.sum(), nll])]).cpu().data<double>().ToArray();
        for (int b = 0; b < BinCount; b++)
        {
            binCounts[b] += (long)Math.Round(totals[b]);
            binConfidence[b] += totals[BinCount + b];
            binCorrect[b] += (long)Math.Round(totals[(2 * BinCount) + b]);
        }

        count += logp.shape[0];
        correct += (long)Math.Round(totals[3 * BinCount]);
        nllSum += totals[(3 * BinCount) + 1];
    }

    /// <summary>The metrics of everything added so far.</summary>
    public ClassificationMetrics ToMetrics()
    {
        if (count == 0)
        {
            return new ClassificationMetrics(double.NaN, double.NaN, double.NaN, 0);
        }

        // Σ_b |acc_b − conf_b| · n_b / N = Σ_b |correct_b − Σconf_b| / N.
        double gap = 0;
        for (int b = 0; b < BinCount; b++)
        {
            gap += Math.Abs(binCorrect[b] - binConfidence[b]);
        }

        return new ClassificationMetrics((double)correct / count, nllSum / count, gap / count, count);
    }
}
