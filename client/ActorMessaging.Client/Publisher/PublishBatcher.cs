using System.Threading.Channels;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client;

/// <summary>
/// Puts publishes from many callers onto the wire in batches, one batch in flight at a time, in call order: a
/// caller's messages join the next batch unless it would exceed <see cref="ActorMessagingPublisherOptions.MaxBatchSize"/>
/// messages or <see cref="MaxBatchBytes"/>. One caller's messages are never split. When a batch fails with an error
/// that is not transient and holds several callers' messages, each caller's messages are sent again on their own, so
/// one bad message fails only its own caller.
/// </summary>
internal sealed class PublishBatcher : IAsyncDisposable
{
    /// <summary>About how many bytes one batch takes on the wire at most: well under the gateway's 4 MiB hub message.</summary>
    public const int MaxBatchBytes = 3 * 1024 * 1024;

    private readonly Channel<PendingPublish> _queue = Channel.CreateUnbounded<PendingPublish>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<PublishMessage>, CancellationToken, Task<IReadOnlyList<PublishMessageResult>>> _send;
    private readonly ActorMessagingPublisherOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _loop;

    /// <param name="send">Sends one batch (with retries) and returns one result per message.</param>
    /// <param name="options">Batch size and linger.</param>
    /// <param name="time">The clock for the linger.</param>
    public PublishBatcher(
        Func<IReadOnlyList<PublishMessage>, CancellationToken, Task<IReadOnlyList<PublishMessageResult>>> send,
        ActorMessagingPublisherOptions options,
        TimeProvider time)
    {
        _send = send;
        _options = options;
        _time = time;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>How many batches were sent (for tests and the benchmark).</summary>
    public int BatchesSent => Volatile.Read(ref _batchesSent);

    private int _batchesSent;

    /// <summary>Queues <paramref name="messages"/> (sent together, atomically) and completes with their results once durable.</summary>
    public Task<IReadOnlyList<PublishMessageResult>> PublishAsync(PublishMessage[] messages, CancellationToken cancellationToken)
    {
        var pending = new PendingPublish(messages, cancellationToken);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), typeof(ActorMessagingPublisher));
        return pending.Task;
    }

    /// <summary>Sends what is queued, then stops; with <paramref name="abort"/> cancelled, queued publishes fail instead.</summary>
    public async Task CloseAsync(CancellationToken abort)
    {
        _queue.Writer.TryComplete();
        using (abort.Register(_abort.Cancel))
        {
            await _loop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingPublish>();
        PendingPublish? carried = null;
        var reader = _queue.Reader;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var (count, bytes) = (0, 0);
            if (carried is not null)
            {
                Add(carried);
                carried = null;
            }

            using var linger = _options.Linger > TimeSpan.Zero ? new CancellationTokenSource(_options.Linger, _time) : null;
            var lingerEnded = false;
            while (count < _options.MaxBatchSize)
            {
                if (reader.TryRead(out var next))
                {
                    if (next.Task.IsCompleted)
                    {
                        continue;
                    }

                    if (count > 0 && (count + next.Messages.Length > _options.MaxBatchSize || bytes + next.Bytes > MaxBatchBytes))
                    {
                        carried = next;
                        break;
                    }

                    Add(next);
                    continue;
                }

                if (linger is null || count == 0 || lingerEnded)
                {
                    break;
                }

                // What was queued by the time the linger ends still joins this batch: the queue is read once more after
                // the wait. (Breaking out at once left a message queued just before the end for a batch of its own.)
                lingerEnded = !await WaitForMoreAsync(linger.Token).ConfigureAwait(false);
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }

            void Add(PendingPublish pending)
            {
                if (!pending.Task.IsCompleted)
                {
                    batch.Add(pending);
                    count += pending.Messages.Length;
                    bytes += pending.Bytes;
                }
            }
        }
    }

    private async Task<bool> WaitForMoreAsync(CancellationToken linger)
    {
        try
        {
            return await _queue.Reader.WaitToReadAsync(linger).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task SendAsync(List<PendingPublish> batch)
    {
        var messages = batch.Count == 1 ? batch[0].Messages : [.. batch.SelectMany(p => p.Messages)];
        try
        {
            Interlocked.Increment(ref _batchesSent);
            var results = await _send(messages, _abort.Token).ConfigureAwait(false);
            var offset = 0;
            foreach (var pending in batch)
            {
                pending.Complete(results, offset);
                offset += pending.Messages.Length;
            }
        }
        catch (ActorMessagingException exception) when (!exception.IsTransient && batch.Count > 1)
        {
            // One caller's bad message must not fail the others: each goes again on its own.
            foreach (var pending in batch)
            {
                await SendAsync([pending]).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            foreach (var pending in batch)
            {
                pending.Fail(exception);
            }
        }
    }

    private sealed class PendingPublish
    {
        private readonly TaskCompletionSource<IReadOnlyList<PublishMessageResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenRegistration _cancellation;

        public PendingPublish(PublishMessage[] messages, CancellationToken cancellationToken)
        {
            Messages = messages;
            foreach (var message in messages)
            {
                Bytes += WireMessages.WireSize(message);
            }

            // Cancelling stops the wait; a message already on the wire may still be stored.
            _cancellation = cancellationToken.CanBeCanceled
                ? cancellationToken.Register(() => _completion.TrySetCanceled(cancellationToken))
                : default;
        }

        public PublishMessage[] Messages { get; }

        public int Bytes { get; }

        public Task<IReadOnlyList<PublishMessageResult>> Task => _completion.Task;

        public void Complete(IReadOnlyList<PublishMessageResult> results, int offset)
        {
            _cancellation.Dispose();
            if (results.Count < offset + Messages.Length)
            {
                _completion.TrySetException(new ActorMessagingException(ErrorCode.Internal, $"The gateway answered a publish of {results.Count} results for more messages."));
                return;
            }

            var mine = new PublishMessageResult[Messages.Length];
            for (var i = 0; i < mine.Length; i++)
            {
                mine[i] = results[offset + i];
            }

            _completion.TrySetResult(mine);
        }

        public void Fail(Exception exception)
        {
            _cancellation.Dispose();
            _completion.TrySetException(exception);
        }
    }
}
