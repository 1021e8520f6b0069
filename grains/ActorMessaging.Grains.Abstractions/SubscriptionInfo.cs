namespace ActorMessaging;

/// <summary>A subscription as its grain reports it, with its counters.</summary>
[GenerateSerializer, Immutable, Alias("am.subscription-info")]
public sealed record SubscriptionInfo(
    [property: Id(0)] string Topic,
    [property: Id(1)] string Name,
    [property: Id(2)] SubscriptionSettings Settings,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] SubscriptionStats Stats);
