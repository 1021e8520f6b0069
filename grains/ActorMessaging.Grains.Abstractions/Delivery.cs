namespace ActorMessaging;

/// <summary>A message handed to a consumer under a lease. Settle it with <see cref="AckId"/>.</summary>
[GenerateSerializer, Immutable, Alias("am.delivery")]
public sealed record Delivery(
    [property: Id(0)] string AckId,
    [property: Id(1)] int DeliveryAttempt,
    [property: Id(2)] StoredMessage Message);
