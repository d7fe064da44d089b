using LatePhaseDist.Core.Training;

namespace LatePhaseDist.Cli.Presentation;

/// <summary>Shows the progress of the training runs of one command.</summary>
internal interface IProgressSink
{
    /// <summary>
    /// An observer that shows run <paramref name="label"/>, which has <paramref name="totalSteps"/> steps.
    /// </summary>
    ITrainingObserver ForRun(string label, long totalSteps, int epochs);

    /// <summary>
    /// Shows a stage that is not training (merging, evaluating), for the run <paramref name="label"/>.
    /// </summary>
    void Stage(string label, string stage);
}
