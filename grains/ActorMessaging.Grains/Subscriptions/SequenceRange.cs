namespace ActorMessaging.Grains.Subscriptions;

/// <summary>An inclusive range of sequence numbers.</summary>
[GenerateSerializer, Immutable, Alias("am.sequence-range")]
public readonly record struct SequenceRange([property: Id(0)] long First, [property: Id(1)] long Last)
{
    public long Count => Last - First + 1;
}
