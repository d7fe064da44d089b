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
        var committed = writer.Commit(CheckpointTestData.Manifest(100));
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
    public void CheckpointManifest_OnDisk_IsCamelCaseJsonWithEveryField()
    {
        CheckpointTestData.CommitSimple(_store, 100);

        var json = File.ReadAllText(Path.Combine(_store.DirectoryFor(100), "manifest.json"));

        foreach (var field in new[]
        {
            "\"formatVersion\": 1", "\"step\": 100", "\"epoch\": 3", "\"stepInEpoch\": 7", "\"phase\": \"released\"",
            "\"generation\": 2", "\"configHash\": \"cfg-1234\"", "\"seed\": 42", "\"memberCount\": 5",
            "\"sampler\": \"epoch=3;offset=7\"", "\"createdUtc\": \"2025-01-02T03:04:05+00:00\"",
            "\"name\": \"member-0.lpdt\"", "\"sha256\": \"", "\"bytes\": ",
        })
        {
            Assert.Contains(field, json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CheckpointStore_NoCheckpoints_LatestCompleteIsNull()
    {
        Assert.Null(_store.LatestComplete());
    }

    [Fact]
    public void CheckpointStore_DirectoryWithoutManifest_IsIgnoredAndLogged()
    {
        CheckpointTestData.CommitSimple(_store, 10);
        var writer = _store.Begin(20);
        _ = writer.WriteBytes("part.bin", [9]);

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "never committed");
    }

    [Fact]
    public void CheckpointStore_CorruptedPart_FallsBackToThePreviousCheckpointAndLogsWhy()
    {
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);
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
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);
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
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);
        File.Delete(Path.Combine(_store.DirectoryFor(20), "member-0.lpdt"));

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "missing");
    }

    [Fact]
    public void CheckpointStore_OnlyATemporaryManifest_IsIgnored()
    {
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);
        var directory = _store.DirectoryFor(20);
        File.Move(Path.Combine(directory, "manifest.json"), Path.Combine(directory, "manifest.json.tmp"));

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "never committed");
    }

    [Fact]
    public void CheckpointStore_ManifestThatIsNotJson_IsSkipped()
    {
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);
        var manifest = Path.Combine(_store.DirectoryFor(20), "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest)[..40]);

        var latest = _store.LatestComplete();

        Assert.Equal(10, latest?.Manifest.Step);
        AssertSkipLogged(20, "not a valid manifest");
    }

    [Fact]
    public void CheckpointStore_ManifestCopiedIntoAnotherStepsDirectory_IsSkipped()
    {
        CheckpointTestData.CommitSimple(_store, 10);
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
    public void CommittedCheckpoint_PartCorruptedAfterItWasFound_ReadPartThrowsNamingThePath()
    {
        CheckpointTestData.CommitSimple(_store, 10);
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
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);

        var writer = _store.Begin(20);
        var during = _store.LatestComplete();
        _ = writer.WriteBytes("again.bin", [5]);
        _ = writer.Commit(CheckpointTestData.Manifest(20));
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
            CheckpointTestData.CommitSimple(_store, step);
        }

        _ = _store.Begin(25).WriteBytes("stale.bin", [1]);
        _ = _store.Begin(50).WriteBytes("in-progress.bin", [1]);
        File.WriteAllText(Path.Combine(_store.RootDirectory, "notes.txt"), "not a checkpoint");

        _store.Prune(keep: 2);
        var left = Directory.GetFileSystemEntries(_store.RootDirectory).Select(Path.GetFileName);

        Assert.Equal(
            ["notes.txt", "step-0000000030", "step-0000000040", "step-0000000050"],
            left.Order(StringComparer.Ordinal));
        Assert.Equal(40, _store.LatestComplete()?.Manifest.Step);
    }

    [Fact]
    public void CheckpointStore_PruneWhenTheNewestIsCorrupt_KeepsTheNewestValidOne()
    {
        CheckpointTestData.CommitSimple(_store, 10);
        CheckpointTestData.CommitSimple(_store, 20);
        File.AppendAllText(Path.Combine(_store.DirectoryFor(20), "member-0.lpdt"), "x");

        _store.Prune(keep: 1);

        Assert.Equal(10, _store.LatestComplete()?.Manifest.Step);
        Assert.True(Directory.Exists(_store.DirectoryFor(20)));
    }

    private void AssertSkipLogged(long step, string reasonFragment)
    {
        var directory = _store.DirectoryFor(step);
        Assert.Contains(_logger.Entries, e => e.Level == LogLevel.Warning
            && e.EventId.Id == 3001
            && e.Message.Contains(directory, StringComparison.Ordinal)
            && e.Message.Contains(reasonFragment, StringComparison.Ordinal));
    }

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
