namespace ActorMessaging;

/// <summary>A message as it stands in a topic's log: immutable once written.</summary>
[GenerateSerializer, Immutable, Alias("am.stored-message")]
public sealed record StoredMessage(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset PublishedAt,
    [property: Id(2)] string? MessageId,
    [property: Id(3)] ReadOnlyMemory<byte> Data,
    [property: Id(4)] string? ContentType,
    [property: Id(5)] IReadOnlyDictionary<string, string>? Attributes,
    [property: Id(6)] string? OrderingKey)
{
    /// <summary>Bytes this message occupies, as counted against size limits.</summary>
    public int Size => MessageLimits.SizeOf(Data.Length, MessageId, ContentType, Attributes, OrderingKey);
}
