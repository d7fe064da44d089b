using System.Collections;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace LatePhaseDist.Core.Data;

/// <summary>
/// Builds a fixed list of batches ahead of the consumer on one background thread, through a bounded queue, and
/// yields them in list order. It can be enumerated once.
/// </summary>
/// <remarks>
/// Ownership: the producer thread has no dispose scope, so built tensors belong to no scope; each yielded
/// <see cref="Batch"/> belongs to the consumer, who must dispose it (e.g. <c>using var batch = …</c>); a dispose
/// scope open around the consumer's loop does not track them. Batches still queued when the loader is disposed
/// are disposed by it. An exception on the producer is rethrown to the consumer after the batches built before it.
/// </remarks>
public sealed class PrefetchingLoader : IEnumerable<Batch>, IDisposable
{
    private readonly BlockingCollection<Batch> queue;
    private readonly CancellationTokenSource cancellation = new();
    private readonly Thread producer;
    private volatile ExceptionDispatchInfo? failure;
    private int enumerated;
    private int disposed;

    /// <summary>Starts building <paramref name="batches"/> at once on a background thread.</summary>
    /// <param name="data">The dataset; it must outlive the loader.</param>
    /// <param name="batches">The sample indices of each batch, in the order they are yielded.</param>
    /// <param name="aug">Augmentation and normalisation, as for <see cref="BatchBuilder.Build"/>.</param>
    /// <param name="seed">The run's data seed.</param>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="train">Whether to augment.</param>
    /// <param name="capacity">Most batches built ahead and not yet taken; default 4, at least 1.</param>
    public PrefetchingLoader(
        ImageDataset data,
        IReadOnlyList<int[]> batches,
        AugmentationOptions aug,
        long seed,
        int epoch,
        bool train,
        int capacity = 4)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(aug);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        aug.Validate(data.Channels);

        Count = batches.Count;
        queue = new BlockingCollection<Batch>(new ConcurrentQueue<Batch>(), capacity);
        var token = cancellation.Token;
        producer = new Thread(() => Produce(data, batches, aug, seed, epoch, train, token))
        {
            IsBackground = true,
            Name = $"prefetch {data.Name} epoch {epoch}",
        };
        producer.Start();
    }

    /// <summary>Number of batches the loader yields.</summary>
    public int Count { get; }

    /// <summary>Yields the batches in order; rethrows a producer exception when its batch is reached.</summary>
    /// <exception cref="InvalidOperationException">The loader was already enumerated.</exception>
    public IEnumerator<Batch> GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (Interlocked.Exchange(ref enumerated, 1) != 0)
        {
            throw new InvalidOperationException("a PrefetchingLoader can be enumerated only once");
        }

        return Consume();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Stops the producer, waits for it to finish its current batch and disposes batches not taken.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        cancellation.Cancel();
        producer.Join();
        while (queue.TryTake(out var batch))
        {
            batch.Dispose();
        }

        queue.Dispose();
        cancellation.Dispose();
    }

    private IEnumerator<Batch> Consume()
    {
        while (true)
        {
            Batch batch;
            try
            {
                if (!queue.TryTake(out batch!, Timeout.Infinite, cancellation.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                throw new ObjectDisposedException(nameof(PrefetchingLoader), "the loader was disposed while in use");
            }

            yield return batch;
        }

        failure?.Throw();
    }

    private void Produce(
        ImageDataset data,
        IReadOnlyList<int[]> batches,
        AugmentationOptions aug,
        long seed,
        int epoch,
        bool train,
        CancellationToken token)
    {
        try
        {
            foreach (var indices in batches)
            {
                token.ThrowIfCancellationRequested();
                var batch = BatchBuilder.Build(data, indices, aug, seed, epoch, train);
                try
                {
                    queue.Add(batch, token);
                }
                catch
                {
                    batch.Dispose();
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposal asked the producer to stop; nothing is waiting for the rest.
        }
        catch (Exception e)
        {
            failure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            queue.CompleteAdding();
        }
    }
}
