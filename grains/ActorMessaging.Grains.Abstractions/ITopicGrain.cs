namespace ActorMessaging;

/// <summary>A topic: its settings, its durable log and the names of its subscriptions. Key: the topic name.</summary>
[Alias("am.topic")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>Creates the topic; creating it again with the same settings succeeds and changes nothing.</summary>
    /// <exception cref="BrokerException"><see cref="ErrorCode.ConflictingSettings"/> when it exists with other settings.</exception>
    [Alias("create")]
    Task<CreateTopicResult> CreateAsync(TopicSettings settings);

    [Alias("get")]
    Task<TopicInfo> GetAsync();

    [Alias("update")]
    Task<TopicInfo> UpdateAsync(TopicSettings settings);

    /// <summary>Deletes the topic, its subscriptions and its log.</summary>
    [Alias("delete"), ResponseTimeout("00:01:00")]
    Task DeleteAsync();

    /// <summary>Appends a batch to the log. Returns once every message of the batch is durable, with outcomes in batch order.</summary>
    [Alias("publish"), Orleans.Concurrency.AlwaysInterleave]
    Task<PublishResult> PublishAsync(IReadOnlyList<OutgoingMessage> batch);

    /// <summary>Reads up to <paramref name="maxMessages"/> durable messages starting at <paramref name="fromSequence"/>.</summary>
    [Alias("read"), Orleans.Concurrency.AlwaysInterleave]
    Task<LogReadResult> ReadAsync(long fromSequence, int maxMessages);

    /// <summary>
    /// The first retained sequence published at or after <paramref name="time"/> (the next sequence when none is yet).
    /// </summary>
    /// <exception cref="BrokerException"><see cref="ErrorCode.InvalidArgument"/> when the time is in the future or older than the retention.</exception>
    [Alias("find-sequence"), Orleans.Concurrency.AlwaysInterleave]
    Task<long> FindSequenceAsync(DateTimeOffset time);

    /// <summary>The retained bounds of the log.</summary>
    [Alias("position"), Orleans.Concurrency.AlwaysInterleave]
    Task<TopicPosition> GetPositionAsync();

    [Alias("list-subscriptions"), Orleans.Concurrency.AlwaysInterleave]
    Task<IReadOnlyList<string>> ListSubscriptionsAsync();

    /// <summary>Registers a subscription name (called by the subscription grain when it is created).</summary>
    [Alias("add-subscription")]
    Task<TopicPosition> AddSubscriptionAsync(string subscription);

    // Interleaves: a subscription being deleted calls this while its topic may be deleting it.
    [Alias("remove-subscription"), Orleans.Concurrency.AlwaysInterleave]
    Task RemoveSubscriptionAsync(string subscription);

    /// <summary>
    /// Asks the topic to push new batches to the subscription for a while (it has consumers waiting).
    /// Subscriptions without consumers are never woken by publishes, so idle ones cost nothing.
    /// </summary>
    [Alias("watch"), Orleans.Concurrency.AlwaysInterleave]
    Task<TopicPosition> WatchAsync(string subscription);

    /// <summary>
    /// Asks the topic to send every durable batch to a gateway's live-subscriber observer for the next 60 s;
    /// the gateway calls it again well within that to stay registered. Returns the log's bounds, so the gateway
    /// knows where "latest" is and can spot batches it missed.
    /// </summary>
    [Alias("watch-live"), Orleans.Concurrency.AlwaysInterleave]
    Task<TopicPosition> WatchLiveAsync(ILiveTopicObserver observer);

    /// <summary>Stops sending to the observer (its gateway has no live subscriber of this topic left).</summary>
    [Alias("unwatch-live"), Orleans.Concurrency.AlwaysInterleave]
    Task UnwatchLiveAsync(ILiveTopicObserver observer);
}
