namespace ActorMessaging;

/// <summary>A message that left normal delivery, with why and after how many attempts.</summary>
[GenerateSerializer, Immutable, Alias("am.dead-letter")]
public sealed record DeadLetter(
    [property: Id(0)] StoredMessage Message,
    [property: Id(1)] int DeliveryAttempts,
    [property: Id(2)] string Reason,
    [property: Id(3)] DateTimeOffset DeadLetteredAt);
