namespace ActorMessaging.Contracts;

/// <summary>Every subscription of a topic in ordinal name order, as <c>GET /v1/topics/{topic}/subscriptions</c> returns them.</summary>
public sealed record SubscriptionList
{
    /// <summary>The subscriptions, each with settings and counters.</summary>
    public required IReadOnlyList<SubscriptionDescription> Subscriptions { get; init; }
}
