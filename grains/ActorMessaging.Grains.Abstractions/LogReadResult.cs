namespace ActorMessaging;

/// <summary>
/// Messages read from a topic's log. <see cref="NextSequence"/> is where the next read continues; it can
/// jump past <c>fromSequence</c> when retention already removed older messages.
/// </summary>
[GenerateSerializer, Immutable, Alias("am.log-read-result")]
public sealed record LogReadResult(
    [property: Id(0)] IReadOnlyList<StoredMessage> Messages,
    [property: Id(1)] long NextSequence,
    [property: Id(2)] long LastSequence);
