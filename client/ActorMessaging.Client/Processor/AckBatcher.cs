using System.Threading.Channels;

namespace ActorMessaging.Client;

/// <summary>
/// Coalesces a processor's acks into few calls, the way a hand-written consumer acks each delivered batch: acks collect
/// until <see cref="_flushAt"/> are waiting, the processor has nothing more queued to handle (the caller says so), an
/// explicit ack asks for one, or <see cref="MaxDelay"/> has passed. Up to <see cref="MaxCallsInFlight"/> calls are
/// pipelined so the prefetch window refills without waiting a round trip per batch. Automatic acks report what did not
/// apply through a callback; explicit acks complete with their failure, or null when they applied.
/// </summary>
internal sealed class AckBatcher : IDisposable
{
    /// <summary>Ack calls on the wire at once: enough to hide a round trip.</summary>
    public const int MaxCallsInFlight = 4;

    /// <summary>The longest an ack waits to be sent: far inside any ack deadline.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(20);

    private readonly Lock _lock = new();
    private readonly Channel<List<PendingAck>> _batches = Channel.CreateUnbounded<List<PendingAck>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _calls = new(MaxCallsInFlight, MaxCallsInFlight);
    private readonly CancellationTokenSource _closing = new();
    private readonly Func<IReadOnlyList<string>, Task<IReadOnlyList<ActorMessagingAckFailure>>> _send;
    private readonly Func<ActorMessagingReceivedMessage, Exception, Task> _autoAckFailed;
    private readonly int _flushAt;
    private readonly Task _loop;
    private readonly Task _timer;
    private List<PendingAck> _pending = [];
    private bool _closed;

    /// <param name="send">Acks up to 1000 ids (with retries) and returns the ones that did not apply.</param>
    /// <param name="autoAckFailed">Told about each automatic ack that did not apply or could not be sent.</param>
    /// <param name="flushAt">How many waiting acks make a batch (1 to 1000).</param>
    public AckBatcher(Func<IReadOnlyList<string>, Task<IReadOnlyList<ActorMessagingAckFailure>>> send, Func<ActorMessagingReceivedMessage, Exception, Task> autoAckFailed, int flushAt)
    {
        _send = send;
        _autoAckFailed = autoAckFailed;
        _flushAt = Math.Clamp(flushAt, 1, ActorMessagingReceiver.MaxMessagesPerCall);
        _loop = Task.Run(RunAsync);
        _timer = Task.Run(FlushPeriodicallyAsync);
    }

    /// <summary>Queues an automatic ack; a failure goes to the callback.</summary>
    /// <param name="message">The message to ack.</param>
    /// <param name="idle">True when the processor has nothing more queued: send now rather than wait for more.</param>
    public void Enqueue(ActorMessagingReceivedMessage message, bool idle) => Add(new PendingAck(message, null), idle);

    /// <summary>Acks now and tells whether it applied.</summary>
    public Task<ActorMessagingAckFailure?> AckAsync(ActorMessagingReceivedMessage message)
    {
        var completion = new TaskCompletionSource<ActorMessagingAckFailure?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Add(new PendingAck(message, completion), flush: true);
        return completion.Task;
    }

    /// <summary>Sends what is waiting, waits for every call on the wire, then stops.</summary>
    public async Task CloseAsync()
    {
        lock (_lock)
        {
            _ = FlushLocked();
            _closed = true;
        }

        _batches.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loop, _timer).ConfigureAwait(false);
        for (var i = 0; i < MaxCallsInFlight; i++)
        {
            await _calls.WaitAsync().ConfigureAwait(false);
        }

        _calls.Release(MaxCallsInFlight);
    }

    public void Dispose()
    {
        _calls.Dispose();
        _closing.Dispose();
    }

    private void Add(PendingAck pending, bool flush)
    {
        lock (_lock)
        {
            _pending.Add(pending);
            if ((flush || _pending.Count >= _flushAt) && !FlushLocked())
            {
                _pending.Remove(pending);
                throw new ObjectDisposedException(nameof(ActorMessagingProcessor), "The processor stopped.");
            }
        }
    }

    private void Flush()
    {
        lock (_lock)
        {
            _ = FlushLocked();
        }
    }

    /// <summary>Hands the waiting acks to the send loop; false once the batcher is closed.</summary>
    private bool FlushLocked()
    {
        if (_pending.Count == 0)
        {
            return true;
        }

        if (_closed)
        {
            return false;
        }

        if (!_calls.Wait(0))
        {
            // Every call slot is busy: the send loop takes the batch when one frees up.
            if (!_batches.Writer.TryWrite(_pending))
            {
                return false;
            }
        }
        else if (_batches.Reader.TryPeek(out _))
        {
            // Older batches wait in the loop's queue: this one goes after them.
            _calls.Release();
            if (!_batches.Writer.TryWrite(_pending))
            {
                return false;
            }
        }
        else
        {
            // A free slot and nothing older waiting: send from here, without a hop to the send loop.
            _ = SendAsync(_pending);
        }

        _pending = [];
        return true;
    }

    private async Task FlushPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(MaxDelay);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
            // Closed.
        }
    }

    private async Task RunAsync()
    {
        await foreach (var waiting in _batches.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // Batches that piled up while calls were on the wire go out together, up to the per-call limit.
            var batch = waiting;
            while (batch.Count < ActorMessagingReceiver.MaxMessagesPerCall && _batches.Reader.TryPeek(out var next) && batch.Count + next.Count <= ActorMessagingReceiver.MaxMessagesPerCall)
            {
                _batches.Reader.TryRead(out _);
                batch.AddRange(next);
            }

            await _calls.WaitAsync().ConfigureAwait(false);
            _ = SendAsync(batch);
        }
    }

    private async Task SendAsync(List<PendingAck> batch)
    {
        try
        {
            IReadOnlyList<ActorMessagingAckFailure> failures;
            try
            {
                failures = await _send([.. batch.Select(b => b.Message.AckId)]).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                foreach (var pending in batch)
                {
                    await CompleteAsync(pending, null, exception).ConfigureAwait(false);
                }

                return;
            }

            var byId = failures.Count == 0 ? null : failures.ToDictionary(f => f.AckId, StringComparer.Ordinal);
            foreach (var pending in batch)
            {
                var failure = byId is not null && byId.TryGetValue(pending.Message.AckId, out var found) ? found : null;
                await CompleteAsync(pending, failure, null).ConfigureAwait(false);
            }
        }
        finally
        {
            _calls.Release();
        }
    }

    private async Task CompleteAsync(PendingAck pending, ActorMessagingAckFailure? failure, Exception? exception)
    {
        if (pending.Completion is { } completion)
        {
            if (exception is null)
            {
                completion.TrySetResult(failure);
            }
            else
            {
                completion.TrySetException(exception);
            }
        }
        else if (exception is not null || failure is not null)
        {
            var message = pending.Message;
            await _autoAckFailed(message, exception ?? failure!.ToException(message.Topic, message.Subscription, "Ack")).ConfigureAwait(false);
        }
    }

    private readonly record struct PendingAck(ActorMessagingReceivedMessage Message, TaskCompletionSource<ActorMessagingAckFailure?>? Completion);
}
