using LatePhaseDist.Core.Checkpoints;
using static TorchSharp.torch;

namespace LatePhaseDist.Core.Tests.Checkpoints;

public sealed class CheckpointWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CheckpointStore _store;

    public CheckpointWriterTests()
    {
        _store = new CheckpointStore(_temp.Combine("ckpt"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CheckpointStore_CheckpointPathIsAFile_BeginThrowsNamingTheDirectoryAndKeepsThePrevious()
    {
        CheckpointTestData.CommitSimple(_store, 10);
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
        CheckpointTestData.CommitSimple(_store, 10);
        var writer = _store.Begin(20);
        _ = writer.WriteBytes("ok.bin", [1]);
        var blocked = Path.Combine(writer.Directory, "member-0.lpdt");
        Directory.CreateDirectory(blocked);
        using var phi = ones(4);

        var error = Assert.Throws<IOException>(
            () => writer.WritePart("member-0.lpdt", new Dictionary<string, Tensor> { ["phi"] = phi }));

        Assert.Contains(blocked, error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => writer.Commit(CheckpointTestData.Manifest(20)));
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

        _ = CheckpointStore.Commit(workerA.Directory, CheckpointTestData.Manifest(30) with { Files = reported });
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
            () => CheckpointStore.Commit(writer.Directory, CheckpointTestData.Manifest(30) with { Files = files }));

        Assert.Contains("'b.bin' is missing", error.Message, StringComparison.Ordinal);
        Assert.Null(_store.LatestComplete());
    }

    [Fact]
    public void CheckpointStore_CommitWithWrongStepOrPhase_IsRefused()
    {
        var writer = _store.Begin(30);

        Assert.Throws<ArgumentException>(() => writer.Commit(CheckpointTestData.Manifest(31)));
        Assert.Throws<ArgumentException>(() => writer.Commit(CheckpointTestData.Manifest(30) with { Phase = "warm" }));
        Assert.Null(_store.LatestComplete());
    }

    [Fact]
    public void DirectorySync_TryFlushOnLinux_Succeeds()
    {
        Assert.True(OperatingSystem.IsLinux(), "This test needs Linux.");

        Assert.True(DirectorySync.TryFlush(_temp.Path));
    }
}
