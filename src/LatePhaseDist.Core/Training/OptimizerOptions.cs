namespace LatePhaseDist.Core.Training;

/// <summary>The optimizer used for θ and, with its own state per member, for every φ_k.</summary>
public sealed record OptimizerOptions
{
    /// <summary>"sgd" (default) or "adam".</summary>
    public string Kind { get; init; } = "sgd";

    /// <summary>Base learning rate before the schedule's factor; default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>SGD momentum; default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>SGD Nesterov momentum; default true.</summary>
    public bool Nesterov { get; init; } = true;

    /// <summary>L2 weight decay on θ (and on the tied φ before T0); default 5e-4.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Weight decay on members after T0; null (default) means the same as <see cref="WeightDecay"/>.</summary>
    public double? MemberWeightDecay { get; init; }

    /// <summary>Adam β1; default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam β2; default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam ε; default 1e-8.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Refuses invalid values, naming the key under <paramref name="prefix"/>.</summary>
    public void Validate(string prefix)
    {
        OptionException.Require(Kind is "sgd" or "adam", $"{prefix}.kind", Kind, "one of \"sgd\", \"adam\"");
        OptionException.Require(
            LearningRate > 0 && double.IsFinite(LearningRate), $"{prefix}.learningRate", LearningRate, "a number > 0");
        OptionException.Require(Momentum is >= 0 and < 1, $"{prefix}.momentum", Momentum, "0 <= momentum < 1");
        OptionException.Require(
            !Nesterov || Kind != "sgd" || Momentum > 0, $"{prefix}.nesterov", Nesterov, "Nesterov needs momentum > 0");
        OptionException.Require(
            WeightDecay >= 0 && double.IsFinite(WeightDecay), $"{prefix}.weightDecay", WeightDecay, "a number >= 0");
        OptionException.Require(
            MemberWeightDecay is null || MemberWeightDecay >= 0,
            $"{prefix}.memberWeightDecay", MemberWeightDecay, "null or a number >= 0");
        OptionException.Require(Beta1 is >= 0 and < 1, $"{prefix}.beta1", Beta1, "0 <= beta1 < 1");
        OptionException.Require(Beta2 is >= 0 and < 1, $"{prefix}.beta2", Beta2, "0 <= beta2 < 1");
        OptionException.Require(Epsilon > 0, $"{prefix}.epsilon", Epsilon, "a number > 0");
    }
}
