namespace ActorMessaging.Contracts;

/// <summary>A subscription with its settings and counters, as the subscription endpoints return it.</summary>
public sealed record SubscriptionDescription
{
    /// <summary>The topic the subscription reads.</summary>
    public required string Topic { get; init; }

    /// <summary>The subscription's name.</summary>
    public required string Name { get; init; }

    /// <summary>The subscription's settings, every field filled.</summary>
    public required SubscriptionConfiguration Settings { get; init; }

    /// <summary>When the subscription was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The subscription's counters.</summary>
    public required SubscriptionStatistics Stats { get; init; }
}
