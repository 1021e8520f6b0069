using System.Text.Json;

namespace ActorMessaging.Client;

/// <summary>A message delivered by a subscription, leased to this consumer until it is acked, nacked or its lease ends.</summary>
public sealed class ActorMessagingReceivedMessage
{
    internal ActorMessagingReceivedMessage(
        string topic,
        string subscription,
        string ackId,
        long sequence,
        string? id,
        DateTimeOffset publishedAt,
        int deliveryAttempt,
        BinaryData data,
        string? contentType,
        IReadOnlyDictionary<string, string> attributes,
        string? orderingKey,
        DateTimeOffset? deliverAt = null,
        DateTimeOffset? expiresAt = null)
    {
        Topic = topic;
        Subscription = subscription;
        AckId = ackId;
        Sequence = sequence;
        Id = id;
        PublishedAt = publishedAt;
        DeliveryAttempt = deliveryAttempt;
        Data = data;
        ContentType = contentType;
        Attributes = attributes;
        OrderingKey = orderingKey;
        DeliverAt = deliverAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The topic the message was published to.</summary>
    public string Topic { get; }

    /// <summary>The subscription that delivered it.</summary>
    public string Subscription { get; }

    /// <summary>Names this delivery's lease when acking, nacking or extending it.</summary>
    public string AckId { get; }

    /// <summary>The topic's sequence number of the message.</summary>
    public long Sequence { get; }

    /// <summary>The message id (given by the publisher, or assigned by the .NET publisher when it gave none).</summary>
    public string? Id { get; }

    /// <summary>When the topic accepted the message.</summary>
    public DateTimeOffset PublishedAt { get; }

    /// <summary>1 for the first delivery, one more for each redelivery.</summary>
    public int DeliveryAttempt { get; }

    /// <summary>The payload.</summary>
    public BinaryData Data { get; }

    /// <summary>The payload's media type, if the publisher gave one.</summary>
    public string? ContentType { get; }

    /// <summary>The message's attributes.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>The message's ordering key, if any.</summary>
    public string? OrderingKey { get; }

    /// <summary>When the message was scheduled to become deliverable, if the publisher scheduled it.</summary>
    public DateTimeOffset? DeliverAt { get; }

    /// <summary>When the message's time to live runs out, if it has one; it is not delivered from then on.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>The payload deserialized from JSON.</summary>
    /// <typeparam name="T">The type to deserialize to.</typeparam>
    /// <param name="options">Serializer options; the web defaults (camelCase) when null.</param>
    /// <returns>The value, or default when the payload is the JSON <c>null</c>.</returns>
    public T? GetJson<T>(JsonSerializerOptions? options = null) => Data.ToObjectFromJson<T>(options ?? JsonSerializerOptions.Web);

    /// <inheritdoc/>
    public override string ToString() => $"{Topic}/{Subscription} #{Sequence} (attempt {DeliveryAttempt})";
}
