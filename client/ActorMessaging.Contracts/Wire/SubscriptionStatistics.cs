namespace ActorMessaging.Contracts;

/// <summary>Counters of a subscription at the moment it was read.</summary>
public sealed record SubscriptionStatistics
{
    /// <summary>Messages published to the topic and not yet acked or dead-lettered by this subscription.</summary>
    public required long Backlog { get; init; }

    /// <summary>Deliveries currently leased to a consumer.</summary>
    public required int InFlight { get; init; }

    /// <summary>Messages in the subscription's dead-letter store.</summary>
    public required int DeadLettered { get; init; }

    /// <summary>Age in seconds of the oldest message in the backlog; null when the backlog is empty.</summary>
    public double? OldestUnackedAgeSeconds { get; init; }
}
