namespace LatePhaseDist.Core.Training;

/// <summary>
/// Learning-rate schedule, a factor of the base rate that depends on the number of whole epochs already finished.
/// Shared by θ and every member.
/// </summary>
public sealed record ScheduleOptions
{
    /// <summary>"constant" (default), "step", "cosine" or "anneal" (the authors' linear anneal).</summary>
    public string Kind { get; init; } = "constant";

    /// <summary>step: epochs at which the rate is multiplied by <see cref="Gamma"/>.</summary>
    public int[] Milestones { get; init; } = [];

    /// <summary>step: the multiplier at each milestone; default 0.1.</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>anneal: the factor stays 1 while finished epochs ≤ this; default 0.</summary>
    public int AnnealStart { get; init; }

    /// <summary>anneal: the factor reaches <see cref="FinalFactor"/> at this many finished epochs; default 0.</summary>
    public int AnnealEnd { get; init; }

    /// <summary>anneal and cosine: the final factor (end rate ÷ base rate); default 0.01.</summary>
    public double FinalFactor { get; init; } = 0.01;

    /// <summary>The factor for an epoch, given how many epochs were finished before it and the total.</summary>
    public double Factor(int finishedEpochs, int totalEpochs) => Kind switch
    {
        "step" => Math.Pow(Gamma, Milestones.Count(m => finishedEpochs >= m)),
        "cosine" => FinalFactor + ((1 - FinalFactor) * 0.5 * (1 + Math.Cos(Math.PI * finishedEpochs / totalEpochs))),
        "anneal" => Anneal(finishedEpochs),
        _ => 1.0,
    };

    /// <summary>Refuses invalid values, naming the key under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix, int totalEpochs)
    {
        OptionException.Require(
            Kind is "constant" or "step" or "cosine" or "anneal",
            $"{prefix}.kind", Kind, "one of \"constant\", \"step\", \"cosine\", \"anneal\"");
        OptionException.Require(
            Milestones.All(m => m > 0) && Milestones.SequenceEqual(Milestones.Order()),
            $"{prefix}.milestones", Milestones, "increasing epoch numbers > 0");
        OptionException.Require(Gamma is > 0 and <= 1, $"{prefix}.gamma", Gamma, "0 < gamma <= 1");
        OptionException.Require(
            FinalFactor is > 0 and <= 1, $"{prefix}.finalFactor", FinalFactor, "0 < finalFactor <= 1");
        if (Kind == "anneal")
        {
            OptionException.Require(AnnealStart >= 0, $"{prefix}.annealStart", AnnealStart, "an epoch count >= 0");
            OptionException.Require(
                AnnealEnd > AnnealStart && AnnealEnd <= totalEpochs,
                $"{prefix}.annealEnd", AnnealEnd, $"annealStart < annealEnd <= training.epochs ({totalEpochs})");
        }
    }

    private double Anneal(int finishedEpochs)
    {
        if (finishedEpochs <= AnnealStart)
        {
            return 1.0;
        }

        if (finishedEpochs >= AnnealEnd)
        {
            return FinalFactor;
        }

        double progress = (double)(finishedEpochs - AnnealStart) / (AnnealEnd - AnnealStart);
        return 1.0 - (progress * (1.0 - FinalFactor));
    }
}
