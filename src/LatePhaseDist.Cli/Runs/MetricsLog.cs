using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Runs;

/// <summary>
/// Writes a run's metrics as JSON lines: one object per step (<c>"type": "step"</c>), per epoch (<c>"epoch"</c>), and
/// for release, checkpoint and resume events. Every object has <c>type</c>, <c>run</c> and <c>globalStep</c>. Each
/// line is flushed as written. Opening a log drops the lines after the step a resumed run continues from, so a
/// resumed run's log holds each step once.
/// </summary>
internal sealed class MetricsLog : ITrainingObserver, IDisposable
{
    private static readonly JsonSerializerOptions LineOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    private readonly string run;
    private readonly StreamWriter writer;
    private long lastGlobalStep;

    private MetricsLog(string path, string run, long resumeStep)
    {
        this.run = run;
        lastGlobalStep = resumeStep;
        writer = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    /// <summary>Opens (or creates) the log, keeping only the lines up to <paramref name="resumeStep"/>.</summary>
    public static MetricsLog Open(string path, string run, long resumeStep)
    {
        if (File.Exists(path))
        {
            var kept = File.ReadLines(path).Where(line => GlobalStep(line) is { } step && step <= resumeStep).ToList();
            File.WriteAllLines(path, kept);
        }

        return new MetricsLog(path, run, resumeStep);
    }

    /// <summary>Reads the epoch records of a log; an absent file has none.</summary>
    public static IReadOnlyList<EpochRecord> ReadEpochs(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadLines(path)
            .Select(line => JsonNode.Parse(line) as JsonObject)
            .Where(o => o?["type"]?.GetValue<string>() == "epoch")
            .Select(o => o!.Deserialize<EpochLine>(LineOptions)!)
            .Select(e => new EpochRecord(
                e.Epoch, e.Phase, e.LearningRate, e.TrainLoss, e.TrainAccuracy, e.MemberSpread, e.SkippedSteps,
                e.Seconds))
            .ToList();
    }

    /// <inheritdoc/>
    public void OnStep(StepRecord step)
    {
        lastGlobalStep = step.GlobalStep;
        double samples = step.Members.Sum(m => m.Samples);
        Write(new StepLine(
            "step", run, step.GlobalStep, step.Epoch, step.StepInEpoch, step.TotalSteps, step.Phase, step.LearningRate,
            step.Members.Sum(m => m.Loss * m.Samples) / samples,
            step.Members.Sum(m => m.Accuracy * m.Samples) / samples,
            step.Members.Select(m => new MemberLine(m.Member, m.Loss, m.Accuracy, m.Samples)).ToList(),
            step.Skipped, step.Seconds));
    }

    /// <inheritdoc/>
    public void OnEpoch(EpochRecord epoch) => Write(new EpochLine(
        "epoch", run, lastGlobalStep, epoch.Epoch, epoch.Phase, epoch.LearningRate, epoch.TrainLoss,
        epoch.TrainAccuracy, epoch.MemberSpread, epoch.SkippedSteps, epoch.Seconds));

    /// <inheritdoc/>
    public void OnRelease(int epoch) => Write(new EventLine("release", run, lastGlobalStep, epoch, null));

    /// <inheritdoc/>
    public void OnCheckpoint(long globalStep, string directory) =>
        Write(new EventLine("checkpoint", run, globalStep, null, directory));

    /// <inheritdoc/>
    public void OnResume(long globalStep, string directory)
    {
        lastGlobalStep = globalStep;
        Write(new EventLine("resume", run, globalStep, null, directory));
    }

    /// <inheritdoc/>
    public void Dispose() => writer.Dispose();

    private void Write<T>(T line) => writer.WriteLine(JsonSerializer.Serialize(line, LineOptions));

    private static long? GlobalStep(string line)
    {
        try
        {
            return JsonNode.Parse(line)?["globalStep"]?.GetValue<long>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record MemberLine(int Member, double Loss, double Accuracy, int Samples);

    private sealed record StepLine(
        string Type,
        string Run,
        long GlobalStep,
        int Epoch,
        int Step,
        long TotalSteps,
        string Phase,
        double LearningRate,
        double Loss,
        double Accuracy,
        IReadOnlyList<MemberLine> Members,
        bool Skipped,
        double Seconds);

    private sealed record EpochLine(
        string Type,
        string Run,
        long GlobalStep,
        int Epoch,
        string Phase,
        double LearningRate,
        double TrainLoss,
        double TrainAccuracy,
        IReadOnlyList<double> MemberSpread,
        long SkippedSteps,
        double Seconds);

    private sealed record EventLine(string Type, string Run, long GlobalStep, int? Epoch, string? Directory);
}
