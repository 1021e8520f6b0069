namespace ActorMessaging;

/// <summary>A page of dead letters in sequence order; pass <see cref="NextAfterSequence"/> to get the next page.</summary>
[GenerateSerializer, Immutable, Alias("am.dead-letter-page")]
public sealed record DeadLetterPage(
    [property: Id(0)] IReadOnlyList<DeadLetter> Items,
    [property: Id(1)] long? NextAfterSequence);
