namespace ActorMessaging.Contracts;

/// <summary>
/// The settings of a subscription: the body of <c>PUT /v1/topics/{topic}/subscriptions/{subscription}</c>
/// and the <c>settings</c> of a <see cref="SubscriptionDescription"/>. A field left out of a request takes
/// its default; a response fills every field.
/// </summary>
public sealed record SubscriptionConfiguration
{
    /// <summary>
    /// Where a new subscription starts: <c>latest</c> (only messages published after it was created; the
    /// default), <c>earliest</c> (every message the topic still retains), a sequence number (e.g. <c>"42"</c>) or an
    /// RFC 3339 time (the first message published at or after it), both within the topic's retention. Applies only at creation: an
    /// update that names a different value is rejected with <c>ConflictingSettings</c>; leave it out to keep it.
    /// </summary>
    public string? StartAt { get; init; }

    /// <summary>How long a delivery is leased before it is redelivered, in seconds. Default 30; 1 to 600.</summary>
    public double? AckDeadlineSeconds { get; init; }

    /// <summary>Deliveries before a message is dead-lettered (when dead-lettering is on). Default 10; 1 to 100.</summary>
    public int? MaxDeliveryAttempts { get; init; }

    /// <summary>Delay before the first redelivery, in seconds; doubles per attempt up to <see cref="MaxBackoffSeconds"/>. Default 1; 0 to 600.</summary>
    public double? MinBackoffSeconds { get; init; }

    /// <summary>Longest delay between redeliveries, in seconds. Default 60; from <see cref="MinBackoffSeconds"/> to 600.</summary>
    public double? MaxBackoffSeconds { get; init; }

    /// <summary>Move messages that exhaust their attempts to the dead-letter store. Default true; when false they are retried until acked.</summary>
    public bool? DeadLettering { get; init; }

    /// <summary>
    /// A SQL-like filter over attributes and system properties, e.g. <c>color = 'red' AND sys.contentType LIKE 'application/%'</c>.
    /// Messages it does not match are never delivered and do not count in the backlog. Default: none (every message).
    /// A filter that does not parse is rejected with <c>InvalidFilter</c>, naming the position and what was expected.
    /// </summary>
    public string? Filter { get; init; }

    /// <summary>Dead-letter messages whose time to live ran out, with reason <c>expired</c>, instead of dropping them. Default false; needs <see cref="DeadLettering"/>.</summary>
    public bool? DeadLetterExpired { get; init; }

    /// <summary>
    /// A topic (which must exist) that receives dead-lettered messages instead of the subscription's own store, with
    /// attributes <c>am-dead-letter-source-topic</c>, <c>-source-subscription</c>, <c>-source-sequence</c>, <c>-reason</c>
    /// and <c>-attempts</c>. Default none; needs <see cref="DeadLettering"/>.
    /// </summary>
    public string? DeadLetterTopic { get; init; }

    /// <summary>
    /// Exactly-once delivery: an ack is answered only once it is durable, and a message whose ack succeeded is never
    /// delivered again, not even after a crash. An ack that could not be saved is listed in the answer's failures with
    /// <c>AckNotDurable</c> (3004) and its message is delivered again. Default false (at-least-once). May be changed on update.
    /// </summary>
    public bool? ExactlyOnce { get; init; }
}
