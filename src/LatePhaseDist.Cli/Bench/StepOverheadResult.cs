namespace LatePhaseDist.Cli.Bench;

/// <summary>The benchmark's result; ratios are late-phase ÷ plain.</summary>
internal sealed record StepOverheadResult(
    StepTiming Plain, StepTiming LatePhase, double MeanRatio, double MedianRatio, long Parameters, int Threads);
