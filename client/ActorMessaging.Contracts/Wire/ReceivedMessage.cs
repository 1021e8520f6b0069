using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMessaging.Contracts;

/// <summary>
/// A delivered message on the wire: in a pull response, and in the hub's <c>Deliver</c> call (which also
/// fills <see cref="Topic"/> and <see cref="Subscription"/>). JSON payloads travel as <see cref="Data"/>,
/// anything else as <see cref="DataBase64"/> in JSON and as <see cref="DataBytes"/> with the MessagePack hub protocol.
/// </summary>
public sealed record ReceivedMessage
{
    /// <summary>Settles this delivery with ack, nack or extend.</summary>
    public required string AckId { get; init; }

    /// <summary>The topic's sequence number of the message.</summary>
    public required long Sequence { get; init; }

    /// <summary>The publisher's message id, if it gave one.</summary>
    public string? Id { get; init; }

    /// <summary>When the topic accepted the message.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>1 for the first delivery, then one more for each redelivery.</summary>
    public required int DeliveryAttempt { get; init; }

    /// <summary>The payload as JSON, when its content type is JSON.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }

    /// <summary>The payload as base64, when it is not JSON.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataBase64 { get; init; }

    /// <summary>
    /// The payload's bytes when it is not JSON: what came over the MessagePack hub protocol (binary there, not base64),
    /// and what the gateway writes to MessagePack connections. Never part of the JSON shape.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte>? DataBytes { get; init; }

    public string? ContentType { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    public string? OrderingKey { get; init; }

    /// <summary>When a scheduled message became deliverable; absent for unscheduled messages.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DeliverAt { get; init; }

    /// <summary>When the message stops being delivered; absent when it has no time to live.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Set on hub deliveries: the topic the message came from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Topic { get; init; }

    /// <summary>Set on hub deliveries: the subscription that delivered it (the generated name for a live subscription).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subscription { get; init; }
}
