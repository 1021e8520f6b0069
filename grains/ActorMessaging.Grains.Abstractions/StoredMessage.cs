namespace ActorMessaging;

/// <summary>
/// A message as it stands in a topic's log: immutable once written. Subscriptions deliver it no earlier than
/// <see cref="DeliverAt"/> and not at or after <see cref="ExpiresAt"/> (null: no schedule, no expiry).
/// </summary>
[GenerateSerializer, Immutable, Alias("am.stored-message")]
public sealed record StoredMessage(
    [property: Id(0)] long Sequence,
    [property: Id(1)] DateTimeOffset PublishedAt,
    [property: Id(2)] string? MessageId,
    [property: Id(3)] ReadOnlyMemory<byte> Data,
    [property: Id(4)] string? ContentType,
    [property: Id(5)] IReadOnlyDictionary<string, string>? Attributes,
    [property: Id(6)] string? OrderingKey,
    [property: Id(7)] DateTimeOffset? DeliverAt = null,
    [property: Id(8)] DateTimeOffset? ExpiresAt = null)
{
    /// <summary>Bytes this message occupies, as counted against size limits.</summary>
    public int Size => MessageLimits.SizeOf(Data.Length, MessageId, ContentType, Attributes, OrderingKey);
}
