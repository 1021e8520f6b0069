namespace ActorMessaging;

/// <summary>What happened to one published message: its sequence, and whether it was a duplicate of an earlier one.</summary>
[GenerateSerializer, Immutable, Alias("am.publish-outcome")]
public readonly record struct PublishOutcome(
    [property: Id(0)] long Sequence,
    [property: Id(1)] bool Duplicate);
