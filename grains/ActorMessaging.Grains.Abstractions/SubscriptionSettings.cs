namespace ActorMessaging;

/// <summary>Settings of a subscription. Every property has a default, so <c>new SubscriptionSettings()</c> is valid.</summary>
[GenerateSerializer, Immutable, Alias("am.subscription-settings")]
public sealed record SubscriptionSettings
{
    public static readonly TimeSpan MinAckDeadline = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxAckDeadline = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan MaxBackoffLimit = TimeSpan.FromMinutes(10);
    public const int MaxDeliveryAttemptsLimit = 100;

    /// <summary>Where the subscription starts when it is created. Default <see cref="StartPosition.Latest"/>.</summary>
    [Id(0)] public StartPosition StartAt { get; init; } = StartPosition.Latest;

    /// <summary>How long a delivery is leased before it is redelivered. Default 30 s; 1 s to 10 min.</summary>
    [Id(1)] public TimeSpan AckDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries before a message is dead-lettered (when dead-lettering is on). Default 10; 1 to 100.</summary>
    [Id(2)] public int MaxDeliveryAttempts { get; init; } = 10;

    /// <summary>Delay before the first redelivery; doubles per attempt up to <see cref="MaxBackoff"/>. Default 1 s.</summary>
    [Id(3)] public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between redeliveries. Default 60 s; at most 10 min.</summary>
    [Id(4)] public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Move messages that exhaust their attempts to the dead-letter store. Default on. When off, messages are retried until acked.</summary>
    [Id(5)] public bool DeadLettering { get; init; } = true;

    /// <summary>
    /// A SQL-like filter over attributes and system properties (Service Bus SQL filter syntax); messages it
    /// does not match are never delivered and do not count in the backlog. Default null: every message.
    /// </summary>
    [Id(6)] public string? Filter { get; init; }

    /// <summary>Dead-letter messages whose time to live ran out (reason <c>expired</c>) instead of dropping them. Default off; needs <see cref="DeadLettering"/>.</summary>
    [Id(7)] public bool DeadLetterExpired { get; init; }

    /// <summary>Start at this sequence or publish time instead of <see cref="StartAt"/>; applies at creation. Default null.</summary>
    [Id(8)] public SeekTarget? StartFrom { get; init; }

    /// <summary>
    /// Publish dead-lettered messages to this topic (which must exist) instead of the subscription's own store, with
    /// attributes naming the source topic, subscription and sequence, the reason and the attempts. Default null.
    /// </summary>
    [Id(9)] public string? DeadLetterTopic { get; init; }

    /// <summary>
    /// Exactly-once delivery: an ack is confirmed only once it is durable, and a message whose ack was confirmed is
    /// never delivered again, not even after a crash. An ack that could not be saved fails with
    /// <see cref="ErrorCode.AckNotDurable"/> and its message is delivered again. Costs a storage write per burst of
    /// acks on the ack's path. Default off (at-least-once: acks are saved in the background). May be changed on update.
    /// </summary>
    [Id(10)] public bool ExactlyOnce { get; init; }

    /// <summary>The delay before redelivering a message whose <paramref name="attempt"/>-th delivery failed.</summary>
    public TimeSpan BackoffFor(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks * (1L << Math.Min(exponent, 20)));
        return TimeSpan.FromTicks(Math.Max(ticks, MinBackoff.Ticks));
    }

    /// <summary>Throws <see cref="ErrorCode.InvalidSetting"/> naming the first setting out of range.</summary>
    public void Validate(string topic, string subscription)
    {
        var entity = $"subscription '{subscription}' of topic '{topic}'";
        if (!Enum.IsDefined(StartAt))
        {
            throw BrokerException.InvalidSetting(entity, "startAt", "must be 'latest' or 'earliest'");
        }

        if (AckDeadline < MinAckDeadline || AckDeadline > MaxAckDeadline)
        {
            throw BrokerException.InvalidSetting(entity, "ackDeadline", $"must be between {MinAckDeadline} and {MaxAckDeadline}, was {AckDeadline}");
        }

        if (MaxDeliveryAttempts < 1 || MaxDeliveryAttempts > MaxDeliveryAttemptsLimit)
        {
            throw BrokerException.InvalidSetting(entity, "maxDeliveryAttempts", $"must be between 1 and {MaxDeliveryAttemptsLimit}, was {MaxDeliveryAttempts}");
        }

        if (MinBackoff < TimeSpan.Zero || MinBackoff > MaxBackoffLimit)
        {
            throw BrokerException.InvalidSetting(entity, "minBackoff", $"must be between 0 and {MaxBackoffLimit}, was {MinBackoff}");
        }

        if (MaxBackoff < MinBackoff || MaxBackoff > MaxBackoffLimit)
        {
            throw BrokerException.InvalidSetting(entity, "maxBackoff", $"must be between minBackoff ({MinBackoff}) and {MaxBackoffLimit}, was {MaxBackoff}");
        }

        if (StartFrom is { } from && (from.Sequence is null == from.Time is null || StartAt != StartPosition.Latest))
        {
            throw BrokerException.InvalidSetting(entity, "startAt", "a start sequence or time takes exactly one of them, and no 'earliest'");
        }

        if (DeadLetterTopic is not null && !DeadLettering)
        {
            throw BrokerException.InvalidSetting(entity, "deadLetterTopic", "needs deadLettering on");
        }

        if (DeadLetterExpired && !DeadLettering)
        {
            throw BrokerException.InvalidSetting(entity, "deadLetterExpired", "needs deadLettering on");
        }
    }
}
