using System.Diagnostics;
using LatePhaseDist.Build;

namespace LatePhaseDist.Core.Tests.Build;

public sealed class LibTorchSharpCompatTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string LibStdCxx = "libstdc++.so.6";
    private const string SystemLibStdCxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";

    private static string OutputLibrary =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string ShippedLibrary => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void OutputLibrary_MatchesWhatTheSystemLibStdCxxProvides()
    {
        bool systemHasIt = ElfVersionNeeds.DefinesVersion(SystemLibStdCxx, Version);

        ElfVersionNeed need = ElfVersionNeeds.Read(OutputLibrary)
            .Single(n => n.File == LibStdCxx && n.Version == Version);

        // Weakened only where the system lacks the version; left exactly as shipped where it has it.
        Assert.Equal(!systemHasIt, need.IsWeak);
        if (systemHasIt)
        {
            Assert.Equal(File.ReadAllBytes(ShippedLibrary), File.ReadAllBytes(OutputLibrary));
        }
    }

    [Fact]
    public void MakeWeak_ShippedLibrary_ChangesOnlyThatRequirementsFlags()
    {
        string copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(ShippedLibrary, copy);
        try
        {
            IReadOnlyList<ElfVersionNeed> before = ElfVersionNeeds.Read(copy);
            Assert.False(before.Single(n => n.Version == Version).IsWeak);

            bool changed = ElfVersionNeeds.MakeWeak(copy, LibStdCxx, Version);
            bool changedAgain = ElfVersionNeeds.MakeWeak(copy, LibStdCxx, Version);

            Assert.True(changed);
            Assert.False(changedAgain);
            IReadOnlyList<ElfVersionNeed> after = ElfVersionNeeds.Read(copy);
            Assert.All(after, n => Assert.Equal(n.Version == Version, n.IsWeak && !before.Single(b =>
                b.File == n.File && b.Version == n.Version).IsWeak));
            byte[] original = File.ReadAllBytes(ShippedLibrary);
            byte[] patched = File.ReadAllBytes(copy);
            int[] differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
            Assert.Equal([(int)after.Single(n => n.Version == Version).FlagsOffset], differing);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void MakeWeak_VersionNotRequired_Throws()
    {
        string copy = Path.Combine(Path.GetTempPath(), $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(ShippedLibrary, copy);
        try
        {
            var error = Assert.Throws<InvalidDataException>(
                () => ElfVersionNeeds.MakeWeak(copy, LibStdCxx, "GLIBCXX_9.9"));

            Assert.Contains("GLIBCXX_9.9", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void Read_NotAnElfFile_NamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"not-elf-{Guid.NewGuid():N}.so");
        File.WriteAllText(path, "plain text, not a shared library");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(path));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("cpu", "libtorch-cpu-linux-x64")]
    [InlineData("cuda", "TorchSharp-cuda-linux")]
    public void TorchBackend_Property_SelectsThePackage(string backend, string expected)
    {
        string output = MsBuild($"-getItem:PackageReference -p:TorchBackend={backend}", out int exitCode);

        Assert.Equal(0, exitCode);
        Assert.Contains($"\"Identity\": \"{expected}\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Identity\": \"TorchSharp-cpu\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchBackend_UnknownValue_IsRefusedNamingTheProperty()
    {
        string output = MsBuild("-t:_CheckTorchBackend -p:TorchBackend=rocm", out int exitCode);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("TorchBackend='rocm' is not supported", output, StringComparison.Ordinal);
    }

    private static string MsBuild(string arguments, out int exitCode)
    {
        string project = Path.Combine(RepositoryPaths.Root, "src", "LatePhaseDist.Core", "LatePhaseDist.Core.csproj");
        var start = new ProcessStartInfo("dotnet", $"msbuild \"{project}\" -nologo {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MSBUILDNOINPROCNODE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        exitCode = process.ExitCode;
        return output + error.Result;
    }
}
