using System.Text.Json;

namespace ActorMessaging.Client;

/// <summary>
/// A message to publish: a payload (<see cref="Data"/>) with an optional id, content type, attributes and ordering key.
/// Build a JSON message with <see cref="FromJson{T}(T, JsonSerializerOptions?)"/>.
/// </summary>
public sealed class ActorMessage
{
    /// <summary>Creates a message with an empty payload.</summary>
    public ActorMessage()
        : this(BinaryData.Empty)
    {
    }

    /// <summary>Creates a message with <paramref name="data"/> as its payload.</summary>
    /// <param name="data">The payload.</param>
    public ActorMessage(BinaryData data)
    {
        Data = data;
    }

    /// <summary>Creates a message with <paramref name="data"/> as its payload.</summary>
    /// <param name="data">The payload.</param>
    public ActorMessage(ReadOnlyMemory<byte> data)
        : this(new BinaryData(data))
    {
    }

    /// <summary>
    /// The message id, 1 to 128 characters. The topic stores a message whose id it saw within its duplicate-detection
    /// window only once. When null, the publisher assigns a unique id, so a publish it retries after a lost answer is
    /// not stored twice. Default null.
    /// </summary>
    public string? Id { get; set; }

    /// <summary>The payload. Default empty.</summary>
    public BinaryData Data
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(Data));
    }

    /// <summary>The payload's media type (for example <c>application/json</c>), at most 256 characters. Default none.</summary>
    public string? ContentType { get; set; }

    /// <summary>String attributes: at most 100, names up to 256 and values up to 1024 characters. Default empty.</summary>
    public IDictionary<string, string> Attributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Messages with the same ordering key are delivered in publish order; 1 to 1024 characters. Default none.</summary>
    public string? OrderingKey { get; set; }

    /// <summary>
    /// Scheduled delivery: subscriptions deliver the message no earlier than this (to the second), at most the topic's
    /// retention ahead. Default null: at once.
    /// </summary>
    public DateTimeOffset? DeliverAt { get; set; }

    /// <summary>
    /// How long the message may be delivered, counted from when it becomes deliverable; once it runs out, subscriptions
    /// drop it (or dead-letter it, when they dead-letter expired messages). Default null: the topic's default time to live.
    /// </summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>A message whose payload is <paramref name="value"/> serialized as JSON, with content type <c>application/json</c>.</summary>
    /// <typeparam name="T">The type to serialize.</typeparam>
    /// <param name="value">The payload value.</param>
    /// <param name="options">Serializer options; the web defaults (camelCase) when null.</param>
    /// <returns>The message.</returns>
    public static ActorMessage FromJson<T>(T value, JsonSerializerOptions? options = null) =>
        new(BinaryData.FromObjectAsJson(value, options ?? JsonSerializerOptions.Web)) { ContentType = Contracts.PayloadEncoding.JsonContentType };
}
