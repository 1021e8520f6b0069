using System.Text.Json.Serialization;

namespace ActorMessaging.Contracts;

/// <summary>
/// The settings of a topic: the body of <c>PUT /v1/topics/{topic}</c> and the <c>settings</c> of a
/// <see cref="TopicDescription"/>. A field left out of a request takes its default; a response fills every field.
/// </summary>
public sealed record TopicConfiguration
{
    /// <summary>How long published messages are kept, in seconds. Default 604800 (7 days); 60 to 7776000 (90 days).</summary>
    public double? RetentionSeconds { get; init; }

    /// <summary>Largest accepted message in bytes (payload plus id, content type, attributes and ordering key). Default 262144 (256 KiB); 1 to 1048576.</summary>
    public int? MaxMessageBytes { get; init; }

    /// <summary>A message id seen within this many seconds is not stored again. Default 600; 0 turns duplicate detection off; at most 604800 (7 days).</summary>
    public double? DedupWindowSeconds { get; init; }

    /// <summary>Time to live, in seconds, of messages published without <c>ttlSeconds</c>. Default none (they never expire); 1 to the retention.</summary>
    public double? DefaultTtlSeconds { get; init; }

    /// <summary>
    /// Whether messages every subscription has acked stay until the retention ends them. Default true. False deletes
    /// them once every subscription has acked them (a topic without subscriptions keeps nothing), so storage follows
    /// the slowest subscription's backlog; replay and new subscriptions at <c>earliest</c> then see only what is left.
    /// </summary>
    public bool? RetainAckedMessages { get; init; }

    /// <summary>
    /// Request only: subscriptions to create (or whose settings to replace) with the topic, by name, in the same call. At
    /// most <see cref="MaxSubscriptionsPerRequest"/>; every name and setting is checked before anything is created, and
    /// the call is idempotent like a subscription's own <c>PUT</c>. Responses leave it out.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, SubscriptionConfiguration>? Subscriptions { get; init; }

    /// <summary>The most subscriptions one <c>PUT /v1/topics/{topic}</c> may name.</summary>
    public const int MaxSubscriptionsPerRequest = 100;
}
