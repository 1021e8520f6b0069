using System.Threading.Channels;

namespace ActorMessaging.Client;

/// <summary>
/// Coalesces a processor's acks: ack ids queued while ack calls are on the wire go out together (at most 1000 per call,
/// at most <see cref="MaxCallsInFlight"/> calls pipelined), so a processor settles a burst of messages in a few calls and
/// its prefetch window refills without waiting a round trip per batch. Automatic acks report what did not apply through
/// a callback; explicit acks complete with their failure, or null when they applied.
/// </summary>
internal sealed class AckBatcher : IDisposable
{
    /// <summary>Ack calls on the wire at once: enough to hide a round trip, few enough to keep batches large.</summary>
    public const int MaxCallsInFlight = 4;

    private readonly Channel<PendingAck> _queue = Channel.CreateUnbounded<PendingAck>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _calls = new(MaxCallsInFlight, MaxCallsInFlight);
    private readonly Func<IReadOnlyList<string>, Task<IReadOnlyList<ActorMessagingAckFailure>>> _send;
    private readonly Func<ActorMessagingReceivedMessage, Exception, Task> _autoAckFailed;
    private readonly Task _loop;

    /// <param name="send">Acks up to 1000 ids (with retries) and returns the ones that did not apply.</param>
    /// <param name="autoAckFailed">Told about each automatic ack that did not apply or could not be sent.</param>
    public AckBatcher(Func<IReadOnlyList<string>, Task<IReadOnlyList<ActorMessagingAckFailure>>> send, Func<ActorMessagingReceivedMessage, Exception, Task> autoAckFailed)
    {
        _send = send;
        _autoAckFailed = autoAckFailed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues an automatic ack; a failure goes to the callback.</summary>
    public void Enqueue(ActorMessagingReceivedMessage message) =>
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(new PendingAck(message, null)), typeof(ActorMessagingProcessor));

    /// <summary>Acks now and tells whether it applied.</summary>
    public Task<ActorMessagingAckFailure?> AckAsync(ActorMessagingReceivedMessage message)
    {
        var completion = new TaskCompletionSource<ActorMessagingAckFailure?>(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(new PendingAck(message, completion)), typeof(ActorMessagingProcessor));
        return completion.Task;
    }

    /// <summary>Sends what is queued, waits for every call on the wire, then stops.</summary>
    public async Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        for (var i = 0; i < MaxCallsInFlight; i++)
        {
            await _calls.WaitAsync().ConfigureAwait(false);
        }

        _calls.Release(MaxCallsInFlight);
    }

    public void Dispose() => _calls.Dispose();

    private async Task RunAsync()
    {
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await _calls.WaitAsync().ConfigureAwait(false);
            var batch = new List<PendingAck>();
            while (batch.Count < ActorMessagingReceiver.MaxMessagesPerCall && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

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
