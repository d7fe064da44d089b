using LatePhaseDist.Core.Data;
using TorchSharp;

namespace LatePhaseDist.Core.Tests.Data;

public sealed class PrefetchingLoaderTests : IDisposable
{
    private readonly ImageDataset data = ImageDataset.Synthetic(50, 1, 8, 10, seed: 3);
    private readonly AugmentationOptions aug = AugmentationOptions.Plain(1) with { PadCrop = 2, HorizontalFlip = true };

    public void Dispose() => data.Dispose();

    [Fact]
    public void Loader_ManyBatchesSmallQueue_YieldsAllInOrderAsBuilderWould()
    {
        using var scope = torch.NewDisposeScope();
        var batches = DataOrder.Minibatches(50, 8, seed: 4, epoch: 2, dropLast: false);
        using var loader = new PrefetchingLoader(data, batches, aug, seed: 4, epoch: 2, train: true, capacity: 2);
        var position = 0;

        foreach (var batch in loader)
        {
            using (batch)
            {
                using var expected = BatchBuilder.Build(data, batches[position], aug, 4, 2, train: true);
                Assert.Equal(batches[position], batch.SampleIndices);
                Assert.True(batch.Inputs.bytes.SequenceEqual(expected.Inputs.bytes));
                Assert.True(batch.Targets.bytes.SequenceEqual(expected.Targets.bytes));
            }

            position++;
        }

        Assert.Equal((7, 7), (position, loader.Count));
    }

    [Fact]
    public void Loader_ProducerFails_RethrowsAfterEarlierBatches()
    {
        int[][] batches = [[0, 1], [2, 3], [4, 999], [5, 6]];
        using var loader = new PrefetchingLoader(data, batches, aug, 1, 0, train: false);
        var received = new List<int[]>();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            foreach (var batch in loader)
            {
                received.Add(batch.SampleIndices);
                batch.Dispose();
            }
        });

        Assert.Equal([[0, 1], [2, 3]], received);
        Assert.Contains("sample index 999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loader_DisposedWithProducerBlocked_ReturnsPromptly()
    {
        var batches = Enumerable.Range(0, 200).Select(i => new[] { i % 50 }).ToArray();
        var loader = new PrefetchingLoader(data, batches, aug, 1, 0, train: true, capacity: 1);
        using var enumerator = loader.GetEnumerator();
        Assert.True(enumerator.MoveNext());
        enumerator.Current.Dispose();

        var disposal = Task.Run(loader.Dispose);

        await disposal.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(disposal.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Loader_NeverEnumerated_DisposesCleanly()
    {
        var batches = Enumerable.Range(0, 20).Select(i => new[] { i }).ToArray();
        var loader = new PrefetchingLoader(data, batches, aug, 1, 0, train: false);

        var disposal = Task.Run(loader.Dispose);

        await disposal.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(disposal.IsCompletedSuccessfully);
    }

    [Fact]
    public void Loader_ConsumerDisposeScopeEnds_BatchesStayAlive()
    {
        int[][] batches = [[0, 1, 2]];
        using var loader = new PrefetchingLoader(data, batches, aug, 1, 0, train: false);
        Batch taken;

        using (var scope = torch.NewDisposeScope())
        {
            taken = loader.First();
        }

        using (taken)
        {
            Assert.False(taken.Inputs.IsInvalid);
            Assert.Equal(new long[] { 3, 1, 8, 8 }, taken.Inputs.shape);
        }
    }

    [Fact]
    public void Loader_EnumeratedTwice_Throws()
    {
        using var loader = new PrefetchingLoader(data, [[0]], aug, 1, 0, train: false);
        foreach (var batch in loader)
        {
            batch.Dispose();
        }

        Assert.Throws<InvalidOperationException>(() => loader.GetEnumerator());
    }
}
