namespace ActorMessaging;

/// <summary>Settings of a topic. Every property has a default, so <c>new TopicSettings()</c> is a valid topic.</summary>
[GenerateSerializer, Immutable, Alias("am.topic-settings")]
public sealed record TopicSettings
{
    public static readonly TimeSpan MinRetention = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(90);
    public static readonly TimeSpan MaxDedupWindow = TimeSpan.FromDays(7);

    /// <summary>How long published messages are kept. Default 7 days; 1 minute to 90 days.</summary>
    [Id(0)] public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Largest accepted message (payload plus id, content type, attributes, ordering key). Default 256 KiB; at most 1 MiB.</summary>
    [Id(1)] public int MaxMessageBytes { get; init; } = 256 * 1024;

    /// <summary>A message id seen within this window is not stored again. Default 10 minutes; zero turns duplicate detection off; at most 7 days.</summary>
    [Id(2)] public TimeSpan DedupWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Time to live of messages published without one. Default null: they never expire; otherwise 1 s up to <see cref="Retention"/>.</summary>
    [Id(3)] public TimeSpan? DefaultTimeToLive { get; init; }

    /// <summary>
    /// Whether messages every subscription has settled stay until they age out. Default true (kept for the whole
    /// retention, for replay and new subscriptions at <see cref="StartPosition.Earliest"/>). False deletes a log chunk
    /// as soon as every subscription's durable ack floor has passed it (a topic without subscriptions keeps nothing),
    /// so storage follows the slowest subscription's backlog instead of the retention.
    /// </summary>
    [Id(4)] public bool RetainAckedMessages { get; init; } = true;

    /// <summary>Throws <see cref="ErrorCode.InvalidSetting"/> naming the first setting out of range.</summary>
    public void Validate(string topic)
    {
        var entity = $"topic '{topic}'";
        if (Retention < MinRetention || Retention > MaxRetention)
        {
            throw BrokerException.InvalidSetting(entity, "retention", $"must be between {MinRetention} and {MaxRetention}, was {Retention}");
        }

        if (MaxMessageBytes < 1 || MaxMessageBytes > MessageLimits.MaxMessageBytesCap)
        {
            throw BrokerException.InvalidSetting(entity, "maxMessageBytes", $"must be between 1 and {MessageLimits.MaxMessageBytesCap}, was {MaxMessageBytes}");
        }

        if (DedupWindow < TimeSpan.Zero || DedupWindow > MaxDedupWindow)
        {
            throw BrokerException.InvalidSetting(entity, "dedupWindow", $"must be between 0 and {MaxDedupWindow}, was {DedupWindow}");
        }

        if (DefaultTimeToLive is { } ttl && (ttl < MessageLimits.MinTimeToLive || ttl > Retention))
        {
            throw BrokerException.InvalidSetting(entity, "defaultTimeToLive", $"must be between {MessageLimits.MinTimeToLive} and the retention ({Retention}), was {ttl}");
        }
    }
}
