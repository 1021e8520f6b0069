using System.Threading.Channels;

namespace ActorMessaging.Client;

/// <summary>
/// Coalesces acks: ack ids queued while an ack call is on the wire go out together in the next one (at most 1000),
/// so a processor settles a burst of messages in a few calls. Each ack completes with its failure, or null when it applied.
/// </summary>
internal sealed class AckBatcher
{
    private readonly Channel<(string AckId, TaskCompletionSource<ActorMessagingAckFailure?> Completion)> _queue =
        Channel.CreateUnbounded<(string, TaskCompletionSource<ActorMessagingAckFailure?>)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Func<IReadOnlyList<string>, Task<IReadOnlyList<ActorMessagingAckFailure>>> _send;
    private readonly Task _loop;

    /// <param name="send">Acks up to 1000 ids (with retries) and returns the ones that did not apply.</param>
    public AckBatcher(Func<IReadOnlyList<string>, Task<IReadOnlyList<ActorMessagingAckFailure>>> send)
    {
        _send = send;
        _loop = Task.Run(RunAsync);
    }

    public Task<ActorMessagingAckFailure?> AckAsync(string ackId)
    {
        var completion = new TaskCompletionSource<ActorMessagingAckFailure?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((ackId, completion)))
        {
            throw new ObjectDisposedException(nameof(ActorMessagingProcessor), "The processor stopped.");
        }

        return completion.Task;
    }

    /// <summary>Sends what is queued, then stops.</summary>
    public Task CloseAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<(string AckId, TaskCompletionSource<ActorMessagingAckFailure?> Completion)>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < ActorMessagingReceiver.MaxMessagesPerCall && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                var failures = await _send([.. batch.Select(b => b.AckId)]).ConfigureAwait(false);
                var byId = failures.Count == 0 ? null : failures.ToDictionary(f => f.AckId, StringComparer.Ordinal);
                foreach (var (ackId, completion) in batch)
                {
                    completion.TrySetResult(byId is not null && byId.TryGetValue(ackId, out var failure) ? failure : null);
                }
            }
            catch (Exception exception)
            {
                foreach (var (_, completion) in batch)
                {
                    completion.TrySetException(exception);
                }
            }

            batch.Clear();
        }
    }
}
