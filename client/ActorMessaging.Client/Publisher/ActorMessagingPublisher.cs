using ActorMessaging.Contracts;

namespace ActorMessaging.Client;

/// <summary>
/// Publishes to one topic over the client's hub connection. Cheap to create; thread-safe. Publishes from many threads
/// are batched onto the wire (see <see cref="ActorMessagingPublisherOptions"/>) and sent in call order; each call
/// returns once its messages are durable. Transient failures (a lost connection, an unavailable store) are retried
/// with the same message ids, so a retried message is stored once within the topic's duplicate-detection window.
/// </summary>
public sealed class ActorMessagingPublisher : IAsyncDisposable
{
    private readonly ActorMessagingClient _client;
    private readonly PublishBatcher _batcher;
    private int _disposed;

    internal ActorMessagingPublisher(ActorMessagingClient client, string topic, ActorMessagingPublisherOptions options)
    {
        _client = client;
        Topic = topic;
        _batcher = new PublishBatcher(SendAsync, options, client.Retry.Time);
    }

    /// <summary>The topic this publisher publishes to.</summary>
    public string Topic { get; }

    /// <summary>True once the publisher or its client was disposed.</summary>
    public bool IsClosed => Volatile.Read(ref _disposed) != 0 || _client.IsClosed;

    internal int BatchesSent => _batcher.BatchesSent;

    /// <summary>Publishes one message; returns its sequence number in the topic once it is durable.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops waiting; a message already sent may still be stored.</param>
    /// <returns>The message's sequence; for a duplicate id, the sequence of the message stored first.</returns>
    /// <exception cref="ActorMessagingException">The publish failed (for example <see cref="ErrorCode.TopicNotFound"/> or <see cref="ErrorCode.MessageTooLarge"/>).</exception>
    /// <exception cref="ObjectDisposedException">The publisher or its client was disposed.</exception>
    public async Task<long> PublishAsync(ActorMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfClosed();
        var results = await _batcher.PublishAsync([WireMessages.ToWire(message)], cancellationToken).ConfigureAwait(false);
        return results[0].Sequence;
    }

    /// <summary>Publishes up to 1000 messages atomically, in order; returns their sequence numbers once they are durable.</summary>
    /// <param name="messages">1 to 1000 messages.</param>
    /// <param name="cancellationToken">Stops waiting; messages already sent may still be stored.</param>
    /// <returns>One sequence per message, in order.</returns>
    /// <exception cref="ActorMessagingException">The publish failed; none of the messages was stored.</exception>
    /// <exception cref="ObjectDisposedException">The publisher or its client was disposed.</exception>
    public async Task<IReadOnlyList<long>> PublishBatchAsync(IEnumerable<ActorMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ThrowIfClosed();
        PublishMessage[] wire = [.. messages.Select(WireMessages.ToWire)];
        if (wire.Length == 0)
        {
            throw new ArgumentException("A batch needs at least one message.", nameof(messages));
        }

        if (wire.Length > ActorMessagingPublisherOptions.MaxBatchSizeLimit)
        {
            throw new ActorMessagingException(ErrorCode.BatchTooLarge, $"Publish to topic '{Topic}' has {wire.Length} messages; at most {ActorMessagingPublisherOptions.MaxBatchSizeLimit} are allowed per batch.");
        }

        var results = await _batcher.PublishAsync(wire, cancellationToken).ConfigureAwait(false);
        return [.. results.Select(r => r.Sequence)];
    }

    /// <summary>Sends what is queued, then closes the publisher. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the publisher is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _batcher.DisposeAsync().ConfigureAwait(false);
            _client.Forget(this);
        }
    }

    /// <summary>Closes on behalf of the client: queued publishes are sent unless <paramref name="abort"/> fires first.</summary>
    internal async Task CloseAsync(CancellationToken abort)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _batcher.CloseAsync(abort).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<PublishMessageResult>> SendAsync(IReadOnlyList<PublishMessage> messages, CancellationToken cancellationToken) =>
        await _client.Hub.InvokeAsync<PublishMessageResult[]>("Publish", [Topic, messages], _client.Retry, cancellationToken).ConfigureAwait(false);

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, this);
}
