namespace ActorMessaging;

/// <summary>Counters of a subscription at one instant.</summary>
/// <param name="Backlog">Messages published to the topic and not yet acked (or dead-lettered) by this subscription.</param>
/// <param name="InFlight">Deliveries currently leased to a consumer.</param>
/// <param name="DeadLettered">Messages in the subscription's dead-letter store.</param>
/// <param name="OldestUnackedAge">Age of the oldest message in the backlog; null when the backlog is empty.</param>
/// <param name="AckFloor">Every sequence below this one is settled.</param>
/// <param name="ConsumersAttached">Push consumers currently attached.</param>
[GenerateSerializer, Immutable, Alias("am.subscription-stats")]
public sealed record SubscriptionStats(
    [property: Id(0)] long Backlog,
    [property: Id(1)] int InFlight,
    [property: Id(2)] int DeadLettered,
    [property: Id(3)] TimeSpan? OldestUnackedAge,
    [property: Id(4)] long AckFloor,
    [property: Id(5)] int ConsumersAttached);
