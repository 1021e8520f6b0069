namespace ActorMessaging.Contracts;

/// <summary>
/// The argument of the hub's <c>Gap</c> call to a live subscriber: messages <see cref="FirstMissing"/> up to (not
/// including) <see cref="NextAvailable"/> were published but will never be delivered to this live subscription,
/// because the topic's retention deleted them before the subscription read them (it was too slow, or the log could
/// not be read for a while). It arrives in order: after every delivery before the gap, before the delivery of
/// <see cref="NextAvailable"/>. Durable subscriptions never have gaps.
/// </summary>
public sealed record LiveGap
{
    /// <summary>The topic of the live subscription.</summary>
    public required string Topic { get; init; }

    /// <summary>The live subscription (its name as <c>Subscribe</c> returned it).</summary>
    public required string Subscription { get; init; }

    /// <summary>The first sequence the subscription misses.</summary>
    public required long FirstMissing { get; init; }

    /// <summary>The sequence deliveries continue from; the subscription misses <c>NextAvailable - FirstMissing</c> messages (fewer, with a filter, that it would have matched).</summary>
    public required long NextAvailable { get; init; }
}
