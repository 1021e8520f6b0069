namespace ActorMessaging;

/// <summary>The subscription after a create call, and whether this call created it.</summary>
[GenerateSerializer, Immutable, Alias("am.create-subscription-result")]
public sealed record CreateSubscriptionResult([property: Id(0)] SubscriptionInfo Subscription, [property: Id(1)] bool Created);
