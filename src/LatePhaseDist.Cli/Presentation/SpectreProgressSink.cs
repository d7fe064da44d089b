using System.Globalization;
using LatePhaseDist.Core.Training;
using Spectre.Console;

namespace LatePhaseDist.Cli.Presentation;

/// <summary>One live progress bar per training run, for an interactive terminal.</summary>
internal sealed class SpectreProgressSink : IProgressSink
{
    private readonly Dictionary<string, ProgressTask> tasks = [];

    /// <summary>Adds a waiting bar for every run label, so all runs are visible from the start.</summary>
    public SpectreProgressSink(ProgressContext context, IReadOnlyList<string> labels)
    {
        foreach (string label in labels)
        {
            tasks[label] = context.AddTask(Markup.Escape($"{label,-10} waiting"), autoStart: false, maxValue: 1);
        }
    }

    /// <summary>
    /// Starts a progress display on <paramref name="console"/> and runs <paramref name="body"/> inside it.
    /// </summary>
    public static T Run<T>(IAnsiConsole console, IReadOnlyList<string> labels, Func<IProgressSink, T> body) =>
        console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => body(new SpectreProgressSink(context, labels)));

    /// <inheritdoc/>
    public ITrainingObserver ForRun(string label, long totalSteps, int epochs)
    {
        ProgressTask task = tasks[label];
        task.MaxValue = Math.Max(1, totalSteps);
        task.StartTask();
        return new Observer(task, label, epochs);
    }

    /// <inheritdoc/>
    public void Stage(string label, string stage)
    {
        ProgressTask task = tasks[label];
        task.Description = Markup.Escape($"{label,-10} {stage}");
        if (stage == "done")
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    private sealed class Observer(ProgressTask task, string label, int epochs) : ITrainingObserver
    {
        public void OnStep(StepRecord step)
        {
            double samples = step.Members.Sum(m => m.Samples);
            double loss = step.Members.Sum(m => m.Loss * m.Samples) / samples;
            task.MaxValue = Math.Max(1, step.TotalSteps);
            task.Value = step.GlobalStep;
            task.Description = Markup.Escape(string.Create(
                CultureInfo.InvariantCulture,
                $"{label,-10} epoch {step.Epoch + 1}/{epochs} step {step.GlobalStep}/{step.TotalSteps} " +
                $"loss {loss:F4} lr {step.LearningRate:G3}"));
        }

        public void OnEpoch(EpochRecord epoch)
        {
        }

        public void OnRelease(int epoch)
        {
        }

        public void OnCheckpoint(long globalStep, string directory)
        {
        }

        public void OnResume(long globalStep, string directory) => task.Value = globalStep;
    }
}
