using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatePhaseDist.Cli.Bench;

/// <summary>
/// The PyTorch side of the comparison: bench/pytorch_step.py running as a persistent worker under Debian's python3,
/// driven line by line (<c>run N</c>, <c>quit</c>) so blocks can alternate without paying Python's start-up.
/// </summary>
internal sealed class PyTorchWorker : IDisposable
{
    private const int StderrLinesKept = 20;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly string python;
    private readonly Queue<string> stderrTail = new();

    private PyTorchWorker(Process process, string python)
    {
        this.process = process;
        this.python = python;
        process.ErrorDataReceived += (_, e) => KeepStderr(e.Data);
        process.BeginErrorReadLine();

        JsonObject ready = Read(StartTimeout, "ready");
        TorchVersion = ready["torch"]!.GetValue<string>();
        PythonVersion = ready["python"]!.GetValue<string>();
        Threads = ready["threads"]!.GetValue<int>();
        Parameters = ready["parameters"]!.AsObject().ToDictionary(
            p => p.Key, p => p.Value!.AsArray().Select(d => d!.GetValue<long>()).ToArray());
    }

    /// <summary>torch.__version__ of the worker, e.g. 1.13.0a0 for Debian's python3-torch.</summary>
    public string TorchVersion { get; }

    /// <summary>The interpreter's version, e.g. 3.11.2.</summary>
    public string PythonVersion { get; }

    /// <summary>torch.get_num_threads() after the worker set it.</summary>
    public int Threads { get; }

    /// <summary>The worker network's parameter names and shapes.</summary>
    public IReadOnlyDictionary<string, long[]> Parameters { get; }

    /// <summary>Starts the worker and waits until it has built its network and batch data.</summary>
    /// <param name="python">The interpreter, e.g. /usr/bin/python3.</param>
    /// <param name="script">Path of bench/pytorch_step.py.</param>
    /// <param name="arguments">The script's options (--depth, --batch, ...).</param>
    /// <exception cref="PyTorchUnavailableException">The interpreter does not start or cannot import torch.</exception>
    public static PyTorchWorker Start(string python, string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new PyTorchUnavailableException(
                $"{python} could not be started ({ex.Message}). Install Debian's PyTorch with " +
                "`apt-get install python3-torch`, or name an interpreter that has torch with --python.");
        }

        try
        {
            return new PyTorchWorker(process, python);
        }
        catch
        {
            Stop(process);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="steps"/> training steps and returns the wall time of each, in ms.</summary>
    public IReadOnlyList<double> Run(int steps)
    {
        process.StandardInput.WriteLine($"run {steps}");
        process.StandardInput.Flush();
        JsonObject reply = Read(StartTimeout + (steps * StepTimeout), "ran");
        var times = reply["steps_ms"]!.AsArray().Select(t => t!.GetValue<double>()).ToList();
        if (times.Count != steps)
        {
            throw new InvalidOperationException($"The PyTorch worker timed {times.Count} steps, not {steps}.");
        }

        return times;
    }

    /// <summary>Asks the worker to quit, and ends it if it does not within a few seconds.</summary>
    public void Dispose()
    {
        Stop(process);
        process.Dispose();
    }

    private static void Stop(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            process.StandardInput.WriteLine("quit");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The worker already closed its input; it is exiting.
        }

        if (!process.WaitForExit(QuitTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    private JsonObject Read(TimeSpan timeout, string expected)
    {
        Task<string?> read = process.StandardOutput.ReadLineAsync();
        if (!read.Wait(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException(
                $"The PyTorch worker sent no '{expected}' answer within {timeout.TotalSeconds:F0} s.{StderrTail()}");
        }

        string line = read.Result ?? throw Exited(expected);
        JsonObject message;
        try
        {
            message = JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"The PyTorch worker printed '{line}', not JSON ({ex.Message}).");
        }

        string? kind = message["event"]?.GetValue<string>();
        if (kind == "error")
        {
            string detail = message["message"]?.GetValue<string>() ?? "no details";
            if (message["kind"]?.GetValue<string>() == "torch-missing")
            {
                throw new PyTorchUnavailableException(
                    $"{python} cannot import torch ({detail}). Install Debian's PyTorch with " +
                    "`apt-get install python3-torch` (it installs into /usr/bin/python3, not into pyenv or a venv).");
            }

            throw new InvalidOperationException($"The PyTorch worker reported an error: {detail}");
        }

        return kind == expected
            ? message
            : throw new InvalidOperationException($"The PyTorch worker sent '{kind}' where '{expected}' was due.");
    }

    private InvalidOperationException Exited(string expected)
    {
        if (process.WaitForExit(QuitTimeout))
        {
            // Without a timeout, WaitForExit also waits until the last line of error output has been delivered.
            process.WaitForExit();
        }

        string status = process.HasExited ? $"status {process.ExitCode}" : "still running";
        return new InvalidOperationException(
            $"The PyTorch worker closed its output before its '{expected}' answer ({status}).{StderrTail()}");
    }

    private void KeepStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (stderrTail)
        {
            stderrTail.Enqueue(line);
            if (stderrTail.Count > StderrLinesKept)
            {
                stderrTail.Dequeue();
            }
        }
    }

    private string StderrTail()
    {
        lock (stderrTail)
        {
            return stderrTail.Count == 0 ? "" : $" Its last error output:{Environment.NewLine}" +
                string.Join(Environment.NewLine, stderrTail);
        }
    }
}
