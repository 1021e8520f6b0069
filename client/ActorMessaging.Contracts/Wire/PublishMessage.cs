using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMessaging.Contracts;

/// <summary>
/// One message of a <see cref="PublishRequest"/>. Give exactly one of <see cref="Data"/> (any JSON value,
/// stored as its UTF-8 JSON text) and <see cref="DataBase64"/> (raw bytes).
/// </summary>
public sealed record PublishMessage
{
    /// <summary>
    /// The publisher's id for the message, 1 to 128 characters. A message whose id the topic already saw
    /// within its duplicate-detection window is not stored again: its result says <c>duplicate</c>.
    /// </summary>
    public string? Id { get; init; }

    /// <summary>The payload as a JSON value (a JSON <c>null</c> counts as absent). Content type <c>application/json</c> unless <see cref="ContentType"/> says otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }

    /// <summary>The payload as base64, for anything that is not JSON.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataBase64 { get; init; }

    /// <summary>The payload's media type, at most 256 characters.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContentType { get; init; }

    /// <summary>String attributes: at most 100, keys up to 256 and values up to 1024 characters.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>Messages with the same ordering key are delivered in publish order; 1 to 1024 characters.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OrderingKey { get; init; }

    /// <summary>Scheduled delivery: subscriptions see the message no earlier than this (to the second); at most the topic's retention ahead.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DeliverAt { get; init; }

    /// <summary>Time to live in seconds, counted from when the message becomes deliverable; an expired message is not delivered. Default: the topic's <c>defaultTtlSeconds</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TtlSeconds { get; init; }
}
