namespace LatePhaseDist.Core.Training;

/// <summary>Where a run stands: the epoch to continue, the step within it, and the global steps done.</summary>
public sealed record TrainingPosition(int Epoch, int StepInEpoch, long GlobalStep);
