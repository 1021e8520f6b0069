using ActorMessaging.Contracts;

namespace ActorMessaging.Client;

/// <summary>Between the SDK's message types and the gateway's JSON wire types (<c>ActorMessaging.Contracts</c>).</summary>
internal static class WireMessages
{
    /// <summary>The wire form of <paramref name="message"/>: JSON payloads as JSON, everything else as base64; an id is assigned when it has none.</summary>
    public static PublishMessage ToWire(ActorMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var data = message.Data.ToMemory();
        var json = PayloadEncoding.TryAsJson(data, message.ContentType);
        return new PublishMessage
        {
            Id = message.Id ?? Guid.NewGuid().ToString("N"),
            Data = json,
            DataBase64 = json is null ? Convert.ToBase64String(data.Span) : null,
            ContentType = message.ContentType,
            Attributes = message.Attributes.Count == 0 ? null : new Dictionary<string, string>(message.Attributes, StringComparer.Ordinal),
            OrderingKey = message.OrderingKey,
            DeliverAt = message.DeliverAt,
            TtlSeconds = message.TimeToLive?.TotalSeconds,
        };
    }

    /// <summary>About how many bytes <paramref name="message"/> takes in a hub frame, to keep batches under the hub's message size.</summary>
    public static int WireSize(PublishMessage message)
    {
        var size = 64 + (message.DeliverAt is null ? 0 : 48) + (message.TtlSeconds is null ? 0 : 32) + (message.Id?.Length ?? 0) + (message.ContentType?.Length ?? 0) + (message.OrderingKey?.Length ?? 0);
        size += message.DataBase64?.Length ?? 0;
        size += message.Data is { } json ? json.GetRawText().Length : 0;
        if (message.Attributes is { } attributes)
        {
            foreach (var (key, value) in attributes)
            {
                size += key.Length + value.Length + 8;
            }
        }

        return size;
    }

    public static ActorMessagingReceivedMessage FromWire(ReceivedMessage message, string topic, string subscription)
    {
        BinaryData data;
        if (message.Data is { } json)
        {
            data = BinaryData.FromString(json.GetRawText());
        }
        else if (message.DataBytes is { } bytes)
        {
            data = new BinaryData(bytes);
        }
        else if (message.DataBase64 is { Length: > 0 } base64)
        {
            data = new BinaryData(Convert.FromBase64String(base64));
        }
        else
        {
            data = BinaryData.Empty;
        }

        return new ActorMessagingReceivedMessage(
            message.Topic ?? topic,
            message.Subscription ?? subscription,
            message.AckId,
            message.Sequence,
            message.Id,
            message.PublishedAt,
            message.DeliveryAttempt,
            data,
            message.ContentType,
            message.Attributes ?? EmptyAttributes,
            message.OrderingKey,
            message.DeliverAt,
            message.ExpiresAt);
    }

    public static IReadOnlyList<ActorMessagingAckFailure> FromWire(IReadOnlyList<AckIdFailure>? failures) =>
        failures is null || failures.Count == 0 ? [] : [.. failures.Select(f => new ActorMessagingAckFailure(f.AckId, (ErrorCode)f.Code, f.Reason))];

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();
}
