using System.Security.Cryptography;
using LatePhaseDist.Core.Checkpoints;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Checkpoints;

public sealed class CheckpointStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private readonly TempDirectory _temp = new();
    private readonly RecordingLogger _logger = new();
    private readonly CheckpointStore _store;

    public CheckpointStoreTests()
    {
        _store = new CheckpointStore(_temp.Combine("ckpt"), _logger, new FixedTimeProvider(Now));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CheckpointStore_CommitThenLatestComplete_ReturnsItWithMatchingHashes()
    {
        using var weights = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var counts = arange(4, dtype: ScalarType.Int64);
        var writer = _store.Begin(100);

        var tensors = new Dictionary<string, Tensor> { ["w"] = weights, ["n"] = counts };

        var partSha = writer.WritePart("shared.lpdt", tensors);
        var bytesSha = writer.WriteBytes("sampler.bin", [1, 2, 3]);
        var committed = writer.Commit(Manifest(100));
        var latest = _store.LatestComplete();

        Assert.NotNull(latest);
        Assert.Equal(_store.DirectoryFor(100), latest.Directory);
        Assert.Equal(Sha256Of(Path.Combine(latest.Directory, "shared.lpdt")), partSha);
        Assert.Equal(Sha256Of(Path.Combine(latest.Directory, "sampler.bin")), bytesSha);
        Assert.Equal(["shared.lpdt", "sampler.bin"], latest.Manifest.Files.Select(f => f.Name));
        Assert.Equal(committed.Files, latest.Manifest.Files);
        AssertSameFields(committed, latest.Manifest);
        Assert.Equal(Now, latest.Manifest.CreatedUtc);
        Assert.Equal([1, 2, 3], latest.ReadBytes("sampler.bin"));
        var read = latest.ReadPart("shared.lpdt");
        TensorFileTests.AssertBitEqual(weights, read["w"]);
        TensorFileTests.AssertBitEqual(counts, read["n"]);
        TensorFileTests.DisposeAll(read);
        Assert.Equal(["manifest.json", "sampler.bin", "shared.lpdt"], FileNames(latest.Directory));
    }

    [Fact]
    public void CheckpointStore_NoCheckpoints_LatestCompleteIsNull()
    {
        Assert.Null(_store.LatestComplete());
    }

    [Fact]
    public void CheckpointStore_DirectoryWithoutManifest_IsIgnoredAndLogged()
    {
        CommitSimple(10);
        var writer = _store.Begin(20);
        _ = writer.WriteBytes("part.bin", [9]);

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "never committed");
    }

    [Fact]
    public void CheckpointStore_CorruptedPart_FallsBackToThePreviousCheckpointAndLogsWhy()
    {
        CommitSimple(10);
        CommitSimple(20);
        var part = Path.Combine(_store.DirectoryFor(20), "member-0.lpdt");
        var bytes = File.ReadAllBytes(part);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(part, bytes);

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "SHA-256");
    }

    [Fact]
    public void CheckpointStore_TruncatedPart_FallsBackToThePreviousCheckpointAndLogsWhy()
    {
        CommitSimple(10);
        CommitSimple(20);
        var part = Path.Combine(_store.DirectoryFor(20), "member-0.lpdt");
        var bytes = File.ReadAllBytes(part);
        File.WriteAllBytes(part, bytes[..^3]);

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, $"has {bytes.Length - 3} bytes");
    }

    [Fact]
    public void CheckpointStore_MissingPart_FallsBackToThePreviousCheckpoint()
    {
        CommitSimple(10);
        CommitSimple(20);
        File.Delete(Path.Combine(_store.DirectoryFor(20), "member-0.lpdt"));

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "missing");
    }

    [Fact]
    public void CheckpointStore_OnlyATemporaryManifest_IsIgnored()
    {
        CommitSimple(10);
        CommitSimple(20);
        var directory = _store.DirectoryFor(20);
        File.Move(Path.Combine(directory, "manifest.json"), Path.Combine(directory, "manifest.json.tmp"));

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "never committed");
    }

    [Fact]
    public void CheckpointStore_ManifestThatIsNotJson_IsSkipped()
    {
        CommitSimple(10);
        CommitSimple(20);
        var manifest = Path.Combine(_store.DirectoryFor(20), "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest)[..40]);

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "not a valid manifest");
    }

    [Fact]
    public void CheckpointStore_ManifestCopiedIntoAnotherStepsDirectory_IsSkipped()
    {
        CommitSimple(10);
        var directory = _store.DirectoryFor(20);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(_store.DirectoryFor(10)))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "says step 10");
    }

    [Fact]
    public void CheckpointStore_CheckpointPathIsAFile_BeginThrowsNamingTheDirectoryAndKeepsThePrevious()
    {
        CommitSimple(10);
        var blocked = _store.DirectoryFor(20);
        File.WriteAllText(blocked, "a file where the checkpoint directory should go");

        var error = Assert.Throws<IOException>(() => _store.Begin(20));

        Assert.Contains(blocked, error.Message, StringComparison.Ordinal);
        Assert.Equal(10, _store.LatestComplete()?.Manifest.Step);
    }

    [Fact]
    public void CheckpointStore_RootUnderProc_BeginThrowsNamingTheDirectory()
    {
        Assert.True(OperatingSystem.IsLinux(), "This test needs Linux's /proc.");
        var store = new CheckpointStore("/proc/latephase-checkpoints");

        var error = Assert.Throws<IOException>(() => store.Begin(5));

        Assert.Contains(store.DirectoryFor(5), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointWriter_PartCannotBeWritten_ThrowsNamingThePathAndNeverCommits()
    {
        CommitSimple(10);
        var writer = _store.Begin(20);
        _ = writer.WriteBytes("ok.bin", [1]);
        var blocked = Path.Combine(writer.Directory, "member-0.lpdt");
        Directory.CreateDirectory(blocked);
        using var phi = ones(4);

        var error = Assert.Throws<IOException>(
            () => writer.WritePart("member-0.lpdt", new Dictionary<string, Tensor> { ["phi"] = phi }));

        Assert.Contains(blocked, error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => writer.Commit(Manifest(20)));
        Assert.False(File.Exists(Path.Combine(writer.Directory, "manifest.json")));
        Assert.Equal(10, _store.LatestComplete()?.Manifest.Step);
        Assert.DoesNotContain(Directory.GetFiles(writer.Directory), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../escape.bin")]
    [InlineData("sub/part.bin")]
    [InlineData("manifest.json")]
    [InlineData("part.tmp")]
    [InlineData(".hidden")]
    [InlineData("")]
    public void CheckpointWriter_UnsafePartName_IsRefused(string name)
    {
        var writer = _store.Begin(1);

        Assert.Throws<ArgumentException>(() => writer.WriteBytes(name, [1]));
    }

    [Fact]
    public void CheckpointWriter_SamePartTwice_IsRefused()
    {
        var writer = _store.Begin(1);
        _ = writer.WriteBytes("a.bin", [1]);

        Assert.Throws<InvalidOperationException>(() => writer.WriteBytes("a.bin", [2]));
    }

    [Fact]
    public void CheckpointStore_CoordinatorCommit_CombinesThePartsOfSeveralWriters()
    {
        var workerA = new CheckpointStore(_store.RootDirectory).Begin(30);
        var workerB = new CheckpointStore(_store.RootDirectory).Begin(30);
        using var phiA = full(3, 1.0f);
        using var phiB = full(3, 2.0f);
        _ = workerA.WritePart("member-0.lpdt", new Dictionary<string, Tensor> { ["phi"] = phiA });
        _ = workerB.WritePart("member-1.lpdt", new Dictionary<string, Tensor> { ["phi"] = phiB });
        var reported = workerA.Files.Concat(workerB.Files).ToList();

        _ = CheckpointStore.Commit(workerA.Directory, Manifest(30) with { Files = reported });
        var latest = _store.LatestComplete();

        Assert.Equal(30, latest?.Manifest.Step);
        Assert.Equal(reported, latest?.Manifest.Files);
        var read = latest!.ReadPart("member-1.lpdt");
        TensorFileTests.AssertBitEqual(phiB, read["phi"]);
        TensorFileTests.DisposeAll(read);
    }

    [Fact]
    public void CheckpointStore_CoordinatorCommitWithAMissingPart_IsRefused()
    {
        var writer = _store.Begin(30);
        _ = writer.WriteBytes("a.bin", [1]);
        var files = writer.Files.Append(new CheckpointFile("b.bin", new string('0', 64), 1)).ToList();

        var error = Assert.Throws<InvalidOperationException>(
            () => CheckpointStore.Commit(writer.Directory, Manifest(30) with { Files = files }));

        Assert.Contains("'b.bin' is missing", error.Message, StringComparison.Ordinal);
        Assert.Null(_store.LatestComplete());
    }

    [Fact]
    public void CheckpointStore_CommitWithWrongStepOrPhase_IsRefused()
    {
        var writer = _store.Begin(30);

        Assert.Throws<ArgumentException>(() => writer.Commit(Manifest(31)));
        Assert.Throws<ArgumentException>(() => writer.Commit(Manifest(30) with { Phase = "warm" }));
        Assert.Null(_store.LatestComplete());
    }

    [Fact]
    public void CommittedCheckpoint_PartCorruptedAfterItWasFound_ReadPartThrowsNamingThePath()
    {
        CommitSimple(10);
        var latest = _store.LatestComplete()!;
        var part = Path.Combine(latest.Directory, "member-0.lpdt");
        var bytes = File.ReadAllBytes(part);
        bytes[^2] ^= 0x10;
        File.WriteAllBytes(part, bytes);

        var error = Assert.Throws<InvalidDataException>(() => latest.ReadPart("member-0.lpdt"));

        Assert.Contains(part, error.Message, StringComparison.Ordinal);
        Assert.Throws<KeyNotFoundException>(() => latest.ReadPart("member-9.lpdt"));
    }

    [Fact]
    public void CheckpointStore_BeginOnACommittedStep_UncommitsItUntilTheNewCommit()
    {
        CommitSimple(10);
        CommitSimple(20);

        var writer = _store.Begin(20);
        var during = _store.LatestComplete();
        _ = writer.WriteBytes("again.bin", [5]);
        _ = writer.Commit(Manifest(20));
        var after = _store.LatestComplete();

        Assert.Equal(10, during?.Manifest.Step);
        Assert.Equal(20, after?.Manifest.Step);
        Assert.Equal(["again.bin"], after?.Manifest.Files.Select(f => f.Name));
    }

    [Fact]
    public void CheckpointStore_Prune_KeepsTheNewestCompleteAndInProgressCheckpoints()
    {
        foreach (var step in new long[] { 10, 20, 30, 40 })
        {
            CommitSimple(step);
        }

        _ = _store.Begin(25).WriteBytes("stale.bin", [1]);
        _ = _store.Begin(50).WriteBytes("in-progress.bin", [1]);
        File.WriteAllText(Path.Combine(_store.RootDirectory, "notes.txt"), "not a checkpoint");

        _store.Prune(keep: 2);

        Assert.Equal(
            ["notes.txt", "step-0000000030", "step-0000000040", "step-0000000050"],
            Directory.GetFileSystemEntries(_store.RootDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(40, _store.LatestComplete()?.Manifest.Step);
    }

    [Fact]
    public void CheckpointStore_PruneWhenTheNewestIsCorrupt_KeepsTheNewestValidOne()
    {
        CommitSimple(10);
        CommitSimple(20);
        File.AppendAllText(Path.Combine(_store.DirectoryFor(20), "member-0.lpdt"), "x");

        _store.Prune(keep: 1);

        Assert.Equal(10, _store.LatestComplete()?.Manifest.Step);
        Assert.True(Directory.Exists(_store.DirectoryFor(20)));
    }

    [Fact]
    public void DirectorySync_TryFlushOnLinux_Succeeds()
    {
        Assert.True(OperatingSystem.IsLinux(), "This test needs Linux.");

        Assert.True(DirectorySync.TryFlush(_temp.Path));
    }

    private void CommitSimple(long step)
    {
        using var phi = full(4, (float)step);
        var writer = _store.Begin(step);
        _ = writer.WritePart("member-0.lpdt", new Dictionary<string, Tensor> { ["phi"] = phi });
        _ = writer.Commit(Manifest(step));
    }

    private void AssertSkipLogged(long step, string reasonFragment)
    {
        var directory = _store.DirectoryFor(step);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning
            && e.EventId.Id == 3001
            && e.Message.Contains(directory, StringComparison.Ordinal)
            && e.Message.Contains(reasonFragment, StringComparison.Ordinal));
    }

    private static CheckpointManifest Manifest(long step) => new()
    {
        Step = step,
        Epoch = 3,
        StepInEpoch = 7,
        Phase = CheckpointManifest.ReleasedPhase,
        Generation = 2,
        ConfigHash = "cfg-1234",
        Seed = 42,
        MemberCount = 5,
        Extra = new Dictionary<string, string> { ["sampler"] = "epoch=3;offset=7", ["rng"] = "abc" },
    };

    private static void AssertSameFields(CheckpointManifest expected, CheckpointManifest actual)
    {
        Assert.Equal(expected.FormatVersion, actual.FormatVersion);
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(expected.StepInEpoch, actual.StepInEpoch);
        Assert.Equal(expected.Phase, actual.Phase);
        Assert.Equal(expected.Generation, actual.Generation);
        Assert.Equal(expected.ConfigHash, actual.ConfigHash);
        Assert.Equal(expected.Seed, actual.Seed);
        Assert.Equal(expected.MemberCount, actual.MemberCount);
        Assert.Equal(expected.Extra, actual.Extra);
        Assert.Equal(expected.CreatedUtc, actual.CreatedUtc);
    }

    private static string Sha256Of(string path) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static string[] FileNames(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];
}
