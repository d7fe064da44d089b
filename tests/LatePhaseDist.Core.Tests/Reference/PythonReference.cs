using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LatePhaseDist.Core.Tests.Reference;

/// <summary>
/// Runs a reference script under Debian's python3 with its real PyTorch (python3-torch). A missing interpreter or
/// torch fails the test: CI installs both.
/// </summary>
internal static class PythonReference
{
    private const string Interpreter = "/usr/bin/python3";

    public static JsonNode Run(string script, JsonNode input, int timeoutSeconds = 120)
    {
        string path = ScriptPath(script);
        Assert.True(File.Exists(Interpreter), $"{Interpreter} is missing: install python3-torch (apt-get).");
        var start = new ProcessStartInfo(Interpreter, [path])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input.ToJsonString());
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within {timeoutSeconds} s.");
        }

        Assert.True(
            process.ExitCode == 0,
            $"{script} failed (exit {process.ExitCode}); is python3-torch installed? {errors.Result}");
        return JsonNode.Parse(output.Result) ?? throw new JsonException($"{script} printed nothing.");
    }

    public static string ScriptPath(string script)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", script);
        Assert.True(File.Exists(path), $"Reference script {path} not found.");
        return path;
    }

    public static JsonArray Array(IEnumerable<float> values) => new(values.Select(v => (JsonNode)v).ToArray());

    public static float[] Floats(JsonNode? node) =>
        node!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
}
