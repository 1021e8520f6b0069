using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorMessaging.Contracts;

/// <summary>A message in a subscription's dead-letter store, with why and after how many attempts it got there.</summary>
public sealed record DeadLetterMessage
{
    /// <summary>The topic's sequence number of the message; resubmit by it.</summary>
    public required long Sequence { get; init; }

    /// <summary>The publisher's message id, if it gave one.</summary>
    public string? Id { get; init; }

    /// <summary>When the topic accepted the message.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>The payload as JSON, when its content type is JSON.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Data { get; init; }

    /// <summary>The payload as base64, when it is not JSON.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DataBase64 { get; init; }

    /// <summary>The payload's media type, if the publisher gave one.</summary>
    public string? ContentType { get; init; }

    /// <summary>The message's attributes.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>The message's ordering key, if any.</summary>
    public string? OrderingKey { get; init; }

    /// <summary>How many times the message was delivered before it was dead-lettered.</summary>
    public required int DeliveryAttempts { get; init; }

    /// <summary>Why: <c>maxDeliveryAttempts</c>, <c>expired</c> or <c>rejected</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>When the message was dead-lettered.</summary>
    public required DateTimeOffset DeadLetteredAt { get; init; }
}
