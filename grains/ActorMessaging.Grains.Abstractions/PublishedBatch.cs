namespace ActorMessaging;

/// <summary>A durable batch the topic tells its watching subscriptions about, so they need not read it back.</summary>
[GenerateSerializer, Immutable, Alias("am.published-batch")]
public sealed record PublishedBatch([property: Id(0)] IReadOnlyList<StoredMessage> Messages)
{
    public long FirstSequence => Messages[0].Sequence;

    public long LastSequence => Messages[^1].Sequence;
}
