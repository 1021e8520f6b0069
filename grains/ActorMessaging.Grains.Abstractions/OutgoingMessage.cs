namespace ActorMessaging;

/// <summary>A message as a publisher hands it to a topic.</summary>
[GenerateSerializer, Immutable, Alias("am.outgoing-message")]
public sealed record OutgoingMessage(
    [property: Id(0)] string? MessageId,
    [property: Id(1)] ReadOnlyMemory<byte> Data,
    [property: Id(2)] string? ContentType = null,
    [property: Id(3)] IReadOnlyDictionary<string, string>? Attributes = null,
    [property: Id(4)] string? OrderingKey = null)
{
    /// <summary>Bytes this message occupies, as counted against the topic's maximum message size.</summary>
    public int Size => MessageLimits.SizeOf(Data.Length, MessageId, ContentType, Attributes, OrderingKey);
}
