using ActorMessaging.Contracts;
using ActorMessaging.Filters;
using ActorMessaging.Gateway.Apis;
using ActorMessaging.Gateway.Wire;
using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// The SignalR hub at <c>/hubs/messaging</c>: publish, subscribe (durable or live), ack and nack; the server
/// calls <c>Deliver(messages)</c> on the client with <see cref="Contracts.ReceivedMessage"/>s that carry
/// their topic and subscription.
/// </summary>
/// <remarks>
/// <para>Durable subscriptions are created beforehand (HTTP API); every connection that subscribes to one
/// competes for its messages, and unacked ones come back after the ack deadline. A live subscription
/// (<c>Subscribe(topic, null, options)</c>) belongs to the connection: it starts at the latest message, acks on
/// delivery (acking its ack ids succeeds and does nothing; nacking is an error) and ends when the connection
/// unsubscribes or leaves. It is served by the gateway from one feed per topic (<see cref="Live.LiveFeeds"/>), with
/// no grain or storage of its own; <c>options.filter</c> limits it to the messages a subscription filter would take.</para>
/// <para>Flow control: <c>options.maxInFlight</c> (default 100, 1 to 10000) bounds the unacked deliveries the
/// connection holds for a durable subscription, and the messages queued for it on a live one (past that, a live
/// subscription reads what it missed from the topic's log at the connection's pace); a slow connection slows
/// only its own deliveries.</para>
/// <para>Errors: every failure is a <see cref="HubException"/> with the message
/// <c>"{code} {name}: {message}"</c> (see <see cref="HubErrors"/>), e.g. <c>"2001 TopicNotFound: Topic 'x' not found."</c>
/// A call that fails changes nothing the connection already has.</para>
/// </remarks>
internal sealed class MessagingHub(IGrainFactory grains, HubSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/messaging";

    /// <summary>The client method that receives deliveries: <c>Deliver(ReceivedMessage[] messages)</c>.</summary>
    public const string DeliverMethod = "Deliver";

    /// <summary>
    /// The client method that tells a live subscriber it misses messages: <c>Gap(LiveGap gap)</c>, sent in order between
    /// deliveries when retention deleted messages before the subscription read them from the log.
    /// </summary>
    public const string GapMethod = "Gap";

    /// <summary>Ack ids one <c>Ack</c> or <c>Nack</c> call takes at most.</summary>
    public const int MaxAckIds = 1000;

    /// <summary>
    /// Publishes a batch of messages shaped as in the HTTP publish (<c>id</c>, <c>data</c> or <c>dataBase64</c>,
    /// <c>contentType</c>, <c>attributes</c>, <c>orderingKey</c>); returns <c>[{sequence, duplicate}]</c> in batch
    /// order once the batch is durable.
    /// </summary>
    [HubMethodName("Publish")]
    public async Task<IReadOnlyList<PublishMessageResult>> PublishAsync(string topic, IReadOnlyList<PublishMessage?> messages)
    {
        CheckName("topic", topic);
        if (messages is null || messages.Count == 0)
        {
            throw HubErrors.InvalidArgument($"Publish to topic '{topic}' needs at least one message.");
        }

        if (messages.Count > MessageLimits.MaxBatchMessages)
        {
            throw new BrokerException(ErrorCode.BatchTooLarge, $"Publish to topic '{topic}' has {messages.Count} messages; at most {MessageLimits.MaxBatchMessages} are allowed per batch.");
        }

        using var publish = PublishSpan.Start(topic);
        var result = await grains.GetGrain<ITopicGrain>(topic).PublishAsync(HubMessages.ToOutgoing(topic, messages));
        return HubMessages.ToWire(result);
    }

    /// <summary>
    /// Attaches this connection to a durable <paramref name="subscription"/>, or to a new live subscription when it
    /// is null. Returns the subscription's name (the generated one for a live subscription). Subscribing again to
    /// the same subscription changes its <c>maxInFlight</c>. A new live subscription may have a filter
    /// (<c>options.filter</c>); a malformed one is an <c>InvalidFilter</c> error, as in the HTTP API.
    /// </summary>
    [HubMethodName("Subscribe")]
    public Task<string> SubscribeAsync(string topic, string? subscription, HubSubscribeOptions? options)
    {
        CheckName("topic", topic);
        if (subscription is not null)
        {
            CheckName("subscription", subscription);
        }

        var maxInFlight = options?.MaxInFlight ?? HubSubscribeOptions.DefaultMaxInFlight;
        if (maxInFlight < 1 || maxInFlight > ConsumerRegistration.MaxInFlightLimit)
        {
            throw HubErrors.InvalidArgument($"maxInFlight must be between 1 and {ConsumerRegistration.MaxInFlightLimit}, was {maxInFlight}.");
        }

        MessageFilter? filter = null;
        if (options?.Filter is { } expression)
        {
            if (subscription is not null)
            {
                throw HubErrors.InvalidArgument(subscriptions.FindLive(Context.ConnectionId, topic, subscription) is not null
                    ? $"The filter of live subscription '{subscription}' is set when it starts; unsubscribe and subscribe again to change it."
                    : $"Subscription '{subscription}' of topic '{topic}' is durable: its filter is one of its settings (PUT /v1/topics/{topic}/subscriptions/{subscription}), not a Subscribe option.");
            }

            filter = MessageFilter.Compile(expression);
        }

        return subscriptions.SubscribeAsync(Context.ConnectionId, topic, subscription, maxInFlight, filter);
    }

    /// <summary>Stops deliveries of the subscription to this connection (deleting it when it is the connection's live one). Unsubscribing what is not subscribed does nothing.</summary>
    [HubMethodName("Unsubscribe")]
    public Task UnsubscribeAsync(string topic, string subscription)
    {
        CheckName("topic", topic);
        CheckName("subscription", subscription);
        return subscriptions.UnsubscribeAsync(Context.ConnectionId, topic, subscription);
    }

    /// <summary>Acks deliveries; returns the ack ids that did not apply as <c>[{ackId, code, error, reason}]</c> (empty when all did).</summary>
    [HubMethodName("Ack")]
    public async Task<IReadOnlyList<AckIdFailure>> AckAsync(string topic, string subscription, IReadOnlyList<string> ackIds)
    {
        var grain = Settling(topic, subscription, ackIds);
        if (subscriptions.FindLive(Context.ConnectionId, topic, subscription) is not null)
        {
            // Acked on delivery already.
            return [];
        }

        return HubMessages.ToWire(await grain.AckAsync(ackIds));
    }

    /// <summary>
    /// Gives deliveries back: redelivered after <paramref name="delaySeconds"/> (0 to 600), or after the subscription's
    /// backoff when null. Returns the ack ids that did not apply.
    /// </summary>
    [HubMethodName("Nack")]
    public async Task<IReadOnlyList<AckIdFailure>> NackAsync(string topic, string subscription, IReadOnlyList<string> ackIds, double? delaySeconds)
    {
        var grain = Settling(topic, subscription, ackIds);
        if (subscriptions.FindLive(Context.ConnectionId, topic, subscription) is not null)
        {
            throw HubErrors.InvalidArgument($"Live subscription '{subscription}' acks on delivery; there is nothing to nack.");
        }

        TimeSpan? delay = null;
        if (delaySeconds is { } seconds)
        {
            if (!double.IsFinite(seconds) || seconds < 0 || seconds > SubscriptionSettings.MaxBackoffLimit.TotalSeconds)
            {
                throw HubErrors.InvalidArgument($"delaySeconds must be between 0 and {SubscriptionSettings.MaxBackoffLimit.TotalSeconds}, was {seconds}.");
            }

            delay = TimeSpan.FromSeconds(seconds);
        }

        return HubMessages.ToWire(await grain.NackAsync(ackIds, delay));
    }

    /// <summary>Moves deliveries to the dead-letter store (or topic) at once, with reason <c>rejected</c>. Returns the ack ids that did not apply.</summary>
    [HubMethodName("DeadLetter")]
    public async Task<IReadOnlyList<AckIdFailure>> DeadLetterAsync(string topic, string subscription, IReadOnlyList<string> ackIds)
    {
        var grain = Settling(topic, subscription, ackIds);
        if (subscriptions.FindLive(Context.ConnectionId, topic, subscription) is not null)
        {
            throw HubErrors.InvalidArgument($"Live subscription '{subscription}' acks on delivery; there is nothing to dead-letter.");
        }

        return HubMessages.ToWire(await grain.RejectAsync(ackIds));
    }

    /// <summary>
    /// Moves a durable subscription to a sequence or a publish time, as the HTTP seek does (<paramref name="target"/> is its
    /// body: exactly one of <c>sequence</c> and <c>time</c>): earlier messages count as acked, later ones are delivered
    /// again. Returns the subscription with its new counters. Deliveries in flight end: their ack ids no longer apply,
    /// and connections attached to the subscription (this one included) receive again from the new position.
    /// </summary>
    [HubMethodName("Seek")]
    public async Task<SubscriptionDescription> SeekAsync(string topic, string subscription, SeekRequest? target)
    {
        CheckName("topic", topic);
        CheckName("subscription", subscription);
        var seek = WireMapping.ToSeekTarget(target);
        if (subscriptions.FindLive(Context.ConnectionId, topic, subscription) is not null)
        {
            throw HubErrors.InvalidArgument($"Live subscription '{subscription}' follows the topic's latest message; only durable subscriptions seek.");
        }

        var info = await grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription)).SeekAsync(seek);
        return WireMapping.ToWire(info);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await subscriptions.CloseConnectionAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    private ISubscriptionGrain Settling(string topic, string subscription, IReadOnlyList<string> ackIds)
    {
        CheckName("topic", topic);
        CheckName("subscription", subscription);
        if (ackIds is null || ackIds.Count == 0 || ackIds.Count > MaxAckIds)
        {
            throw HubErrors.InvalidArgument($"Between 1 and {MaxAckIds} ack ids are required, got {ackIds?.Count ?? 0}.");
        }

        if (ackIds.Any(string.IsNullOrEmpty))
        {
            throw HubErrors.InvalidArgument("Ack ids must not be null or empty.");
        }

        return grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription));
    }

    private static void CheckName(string what, string? name)
    {
        if (!EntityNames.IsValid(name))
        {
            throw new BrokerException(ErrorCode.InvalidName, $"'{name}' is not a valid {what} name: it must match {EntityNames.Pattern}.");
        }
    }
}
