namespace ActorMessaging.Client;

/// <summary>
/// How an <see cref="ActorMessagingPublisher"/> batches: calls made while a batch is on the wire (or within
/// <see cref="Linger"/>) go out together in the next one. Values are checked when set.
/// </summary>
public sealed class ActorMessagingPublisherOptions
{
    /// <summary>The most messages one hub <c>Publish</c> call takes (the gateway's limit).</summary>
    public const int MaxBatchSizeLimit = 1000;

    private int _maxBatchSize = 100;
    private TimeSpan _linger = TimeSpan.Zero;

    /// <summary>
    /// The most messages sent in one batch. Default 100; 1 to 1000. A <see cref="ActorMessagingPublisher.PublishBatchAsync"/>
    /// call larger than this goes out on its own, whole. Batches also stay under about 3 MiB, within the gateway's 4 MiB hub
    /// message size.
    /// </summary>
    public int MaxBatchSize
    {
        get => _maxBatchSize;
        set => _maxBatchSize = ActorMessagingRetryOptions.InRange(value, 1, MaxBatchSizeLimit, nameof(MaxBatchSize));
    }

    /// <summary>
    /// How long the publisher waits for more messages before it sends a batch that is not full. Default zero: a batch
    /// leaves as soon as the previous one is answered, with whatever arrived meanwhile (the lowest latency; under load
    /// batches fill by themselves). 0 to 1 s.
    /// </summary>
    public TimeSpan Linger
    {
        get => _linger;
        set => _linger = ActorMessagingRetryOptions.InRange(value, TimeSpan.Zero, TimeSpan.FromSeconds(1), nameof(Linger));
    }

    internal ActorMessagingPublisherOptions Clone() => (ActorMessagingPublisherOptions)MemberwiseClone();
}
