using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Training;

/// <summary>
/// Runs the training loop on one dedicated OS thread: TorchSharp's dispose scopes and intra-op thread count are per
/// thread, so a step never awaits and never changes threads.
/// </summary>
public static class TrainingThread
{
    /// <summary>
    /// Runs <paramref name="body"/> on a new thread with <paramref name="threads"/> torch threads (0: all cores).
    /// </summary>
    public static T Run<T>(int threads, Func<T> body, string name = "latephase-train")
    {
        T? result = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
                    result = body();
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
            },
            maxStackSize: 16 * 1024 * 1024)
        {
            Name = name,
            IsBackground = true,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result!;
    }
}
