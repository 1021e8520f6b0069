namespace ActorMessaging;

/// <summary>
/// A message as a publisher hands it to a topic. <see cref="DeliverAt"/> holds it back from subscriptions until
/// then (at most the topic's retention ahead); <see cref="TimeToLive"/> (or the topic's default) ends its
/// delivery that long after it became deliverable.
/// </summary>
[GenerateSerializer, Immutable, Alias("am.outgoing-message")]
public sealed record OutgoingMessage(
    [property: Id(0)] string? MessageId,
    [property: Id(1)] ReadOnlyMemory<byte> Data,
    [property: Id(2)] string? ContentType = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Attributes = null,
    [property: Id(4)] string? OrderingKey = null,
    [property: Id(5)] DateTimeOffset? DeliverAt = null,
    [property: Id(6)] TimeSpan? TimeToLive = null)
{
    /// <summary>Bytes this message occupies, as counted against the topic's maximum message size.</summary>
    public int Size => MessageLimits.SizeOf(Data.Length, MessageId, ContentType, Attributes, OrderingKey);
}
