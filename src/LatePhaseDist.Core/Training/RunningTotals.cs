namespace LatePhaseDist.Core.Training;

/// <summary>Sample-weighted loss and accuracy over the steps of one epoch.</summary>
internal sealed class RunningTotals
{
    private double loss;
    private double correct;
    private long samples;

    public double Loss => samples == 0 ? double.NaN : loss / samples;

    public double Accuracy => samples == 0 ? double.NaN : correct / samples;

    public void Add(IReadOnlyList<MemberStepRecord> members)
    {
        foreach (MemberStepRecord m in members)
        {
            loss += m.Loss * m.Samples;
            correct += m.Accuracy * m.Samples;
            samples += m.Samples;
        }
    }
}
