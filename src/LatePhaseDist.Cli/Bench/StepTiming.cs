namespace LatePhaseDist.Cli.Bench;

/// <summary>Mean and median time per minibatch of one variant.</summary>
internal sealed record StepTiming(string Variant, double MeanMs, double MedianMs, int Minibatches);
