using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Reference;

/// <summary>
/// Runs a golden-value script of tests/LatePhaseDist.Core.Tests/Reference with Debian's real PyTorch
/// (/usr/bin/python3 with python3-torch) and returns its JSON answer. A missing interpreter or torch fails the test.
/// </summary>
internal static class PyTorchReference
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Writes <paramref name="problem"/> to a temp file, runs the script on it, parses its output.</summary>
    public static JsonNode Run(string script, JsonNode problem)
    {
        string path = Path.Combine(Path.GetTempPath(), $"latephase-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, problem.ToJsonString());
        try
        {
            return Execute(FindScript(script), path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A tensor as {"shape": [...], "data": [flat values]} in float64.</summary>
    public static JsonObject Encode(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        double[] data = tensor.detach().to(float64).cpu().contiguous().data<double>().ToArray();
        return new JsonObject
        {
            ["shape"] = new JsonArray(tensor.shape.Select(d => (JsonNode)d).ToArray()),
            ["data"] = new JsonArray(data.Select(v => (JsonNode)v).ToArray()),
        };
    }

    /// <summary>The inverse of <see cref="Encode"/>, as a float64 tensor.</summary>
    public static Tensor Decode(JsonNode node)
    {
        long[] shape = node["shape"]!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
        double[] data = node["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        return tensor(data, float64).reshape(shape);
    }

    private static JsonNode Execute(string script, string problemPath)
    {
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { script, problemPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OMP_NUM_THREADS"] = "1";
        using Process process = StartPython(start);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(script)} did not finish within {Timeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            Assert.Fail(
                $"{Path.GetFileName(script)} failed with exit code {process.ExitCode}. The PyTorch golden tests need " +
                $"{Python} able to import torch (Debian package python3-torch). Its stderr:\n{error.Result}");
        }

        return JsonNode.Parse(output.Result)
            ?? throw new JsonException($"{Path.GetFileName(script)} printed no JSON.");
    }

    private static Process StartPython(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail(
                $"Cannot run {Python} ({e.Message}). The PyTorch golden tests need it with torch installed " +
                "(Debian packages python3 and python3-torch).");
            throw;
        }
    }

    // The scripts are copied next to the test assembly once the project file says so; until then, and when the
    // build output lives outside the tree (ArtifactsPath), they are found from this source file's location.
    private static string FindScript(string script, [CallerFilePath] string sourceFile = "")
    {
        string[] candidates =
        [
            Path.Combine(AppContext.BaseDirectory, "Reference", script),
            Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", "..", "Reference", script),
            .. Ancestors(Directory.GetCurrentDirectory())
                .Select(d => Path.Combine(d, "tests", "LatePhaseDist.Core.Tests", "Reference", script)),
        ];
        return candidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                $"Reference script {script} not found; looked in:\n{string.Join('\n', candidates)}");
    }

    private static IEnumerable<string> Ancestors(string directory)
    {
        for (DirectoryInfo? d = new(directory); d is not null; d = d.Parent)
        {
            yield return d.FullName;
        }
    }
}
