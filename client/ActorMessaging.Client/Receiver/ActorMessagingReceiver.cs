using ActorMessaging.Contracts;

namespace ActorMessaging.Client;

/// <summary>
/// Pulls messages from a durable subscription over the gateway's HTTP API and settles them: ack when done, nack to
/// have one redelivered, extend to keep its lease longer. Thread-safe; several receivers (and processors) on one
/// subscription compete for its messages.
/// </summary>
public sealed class ActorMessagingReceiver
{
    /// <summary>The most messages one pull, ack, nack or extend takes.</summary>
    public const int MaxMessagesPerCall = 1000;

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly ActorMessagingClient _client;

    internal ActorMessagingReceiver(ActorMessagingClient client, string topic, string subscription)
    {
        _client = client;
        Topic = topic;
        Subscription = subscription;
    }

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary>The subscription.</summary>
    public string Subscription { get; }

    /// <summary>Leases up to <paramref name="maxMessages"/> messages, waiting up to <paramref name="maxWait"/> for the first one.</summary>
    /// <param name="maxMessages">1 to 1000.</param>
    /// <param name="maxWait">How long to wait when no message is ready: zero (answer at once; the default) to 30 s.</param>
    /// <param name="cancellationToken">Stops the pull.</param>
    /// <returns>The leased messages; empty when none arrived within the wait.</returns>
    /// <exception cref="ActorMessagingException">For example <see cref="ErrorCode.SubscriptionNotFound"/>.</exception>
    public async Task<IReadOnlyList<ActorMessagingReceivedMessage>> ReceiveAsync(int maxMessages = 10, TimeSpan? maxWait = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerCall);
        var wait = maxWait ?? TimeSpan.Zero;
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(maxWait));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wait, MaxWait, nameof(maxWait));
        _client.ThrowIfClosed();
        var response = await _client.Http.SendAsync<PullRequest, PullResponse>(
            HttpMethod.Post,
            $"{GatewayHttp.SubscriptionPath(Topic, Subscription)}/pull",
            new PullRequest { MaxMessages = maxMessages, WaitSeconds = wait.TotalSeconds },
            $"Pull from subscription '{Subscription}' of topic '{Topic}'",
            cancellationToken,
            extraTime: wait).ConfigureAwait(false);
        return [.. (response?.Messages ?? []).Select(m => WireMessages.FromWire(m, Topic, Subscription))];
    }

    /// <summary>Acks messages: they are done and will not be delivered again.</summary>
    /// <param name="messages">1 to 1000 messages this subscription delivered.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The messages whose ack did not apply (for example because the lease had ended), with why; empty when all did.</returns>
    public Task<IReadOnlyList<ActorMessagingAckFailure>> AckAsync(IEnumerable<ActorMessagingReceivedMessage> messages, CancellationToken cancellationToken = default) =>
        SettleAsync("ack", "Ack", messages, new AckRequest(), cancellationToken);

    /// <summary>Acks one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the ack is applied (on an exactly-once subscription: once it is durable).</returns>
    /// <exception cref="ActorMessagingException">The ack did not apply, for example <see cref="ErrorCode.AckIdExpired"/>, or
    /// <see cref="ErrorCode.AckNotDurable"/> when an exactly-once subscription could not save it (the message comes again).</exception>
    public async Task AckAsync(ActorMessagingReceivedMessage message, CancellationToken cancellationToken = default) =>
        ThrowIfFailed(await AckAsync([message], cancellationToken).ConfigureAwait(false), "Ack");

    /// <summary>Nacks messages: they are delivered again after <paramref name="delay"/>, or the subscription's retry backoff.</summary>
    /// <param name="messages">1 to 1000 messages this subscription delivered.</param>
    /// <param name="delay">Redeliver after this long (0 to 10 minutes); null for the subscription's backoff.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The messages whose nack did not apply, with why; empty when all did.</returns>
    public Task<IReadOnlyList<ActorMessagingAckFailure>> NackAsync(IEnumerable<ActorMessagingReceivedMessage> messages, TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        SettleAsync("nack", "Nack", messages, new NackRequest { DelaySeconds = delay?.TotalSeconds }, cancellationToken);

    /// <summary>Nacks one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="delay">Redeliver after this long (0 to 10 minutes); null for the subscription's backoff.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the nack is applied.</returns>
    /// <exception cref="ActorMessagingException">The nack did not apply.</exception>
    public async Task NackAsync(ActorMessagingReceivedMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        ThrowIfFailed(await NackAsync([message], delay, cancellationToken).ConfigureAwait(false), "Nack");

    /// <summary>Dead-letters messages at once, with reason <c>rejected</c> (to the dead-letter store, or the subscription's dead-letter topic).</summary>
    /// <param name="messages">1 to 1000 messages this subscription delivered.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The messages that could not be dead-lettered, with why; empty when all were.</returns>
    public Task<IReadOnlyList<ActorMessagingAckFailure>> DeadLetterAsync(IEnumerable<ActorMessagingReceivedMessage> messages, CancellationToken cancellationToken = default) =>
        SettleAsync("deadletter", "DeadLetter", messages, new AckRequest(), cancellationToken);

    /// <summary>Dead-letters one message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the message is dead-lettered.</returns>
    /// <exception cref="ActorMessagingException">It did not apply.</exception>
    public async Task DeadLetterAsync(ActorMessagingReceivedMessage message, CancellationToken cancellationToken = default) =>
        ThrowIfFailed(await DeadLetterAsync([message], cancellationToken).ConfigureAwait(false), "DeadLetter");

    /// <summary>Extends leases: each message stays leased until now plus <paramref name="extension"/>.</summary>
    /// <param name="messages">1 to 1000 messages this subscription delivered.</param>
    /// <param name="extension">0 to 10 minutes.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The messages whose lease could not be extended, with why; empty when all were.</returns>
    public Task<IReadOnlyList<ActorMessagingAckFailure>> ExtendAsync(IEnumerable<ActorMessagingReceivedMessage> messages, TimeSpan extension, CancellationToken cancellationToken = default) =>
        SettleAsync("extend", "Extend", messages, new ExtendRequest { Seconds = extension.TotalSeconds }, cancellationToken);

    /// <summary>Extends one message's lease.</summary>
    /// <param name="message">The message.</param>
    /// <param name="extension">0 to 10 minutes.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>A task that completes once the lease is extended.</returns>
    /// <exception cref="ActorMessagingException">The lease had ended.</exception>
    public async Task ExtendAsync(ActorMessagingReceivedMessage message, TimeSpan extension, CancellationToken cancellationToken = default) =>
        ThrowIfFailed(await ExtendAsync([message], extension, cancellationToken).ConfigureAwait(false), "Extend");

    private Task<IReadOnlyList<ActorMessagingAckFailure>> SettleAsync<TRequest>(
        string action, string operation, IEnumerable<ActorMessagingReceivedMessage> messages, TRequest request, CancellationToken cancellationToken)
        where TRequest : class
    {
        ArgumentNullException.ThrowIfNull(messages);
        _client.ThrowIfClosed();
        List<string> ackIds = [.. messages.Select(m => m?.AckId ?? throw new ArgumentException("A message is null.", nameof(messages)))];
        return SettleAsync(_client, Topic, Subscription, action, operation, ackIds, request, cancellationToken);
    }

    /// <summary>Ack, nack or extend <paramref name="ackIds"/> over HTTP; shared with the processor's lease renewal.</summary>
    internal static async Task<IReadOnlyList<ActorMessagingAckFailure>> SettleAsync<TRequest>(
        ActorMessagingClient client, string topic, string subscription, string action, string operation, IReadOnlyList<string> ackIds, TRequest request, CancellationToken cancellationToken)
        where TRequest : class
    {
        if (ackIds.Count is 0 or > MaxMessagesPerCall)
        {
            throw new ArgumentException($"Between 1 and {MaxMessagesPerCall} messages are required, got {ackIds.Count}.", nameof(ackIds));
        }

        TRequest body = request switch
        {
            AckRequest ack => (TRequest)(object)(ack with { AckIds = ackIds }),
            NackRequest nack => (TRequest)(object)(nack with { AckIds = ackIds }),
            ExtendRequest extend => (TRequest)(object)(extend with { AckIds = ackIds }),
            _ => request,
        };
        var response = await client.Http.SendAsync<TRequest, SettleResponse>(
            HttpMethod.Post,
            $"{GatewayHttp.SubscriptionPath(topic, subscription)}/{action}",
            body,
            $"{operation} on subscription '{subscription}' of topic '{topic}'",
            cancellationToken).ConfigureAwait(false);
        return WireMessages.FromWire(response?.Failures);
    }

    private void ThrowIfFailed(IReadOnlyList<ActorMessagingAckFailure> failures, string operation)
    {
        if (failures.Count > 0)
        {
            throw failures[0].ToException(Topic, Subscription, operation);
        }
    }
}
