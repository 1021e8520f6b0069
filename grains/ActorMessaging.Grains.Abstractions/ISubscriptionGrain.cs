namespace ActorMessaging;

/// <summary>
/// A subscription: its cursor, leases, attempts, dead letters and attached push consumers.
/// Key: <c>{topic}/{subscription}</c> (see <see cref="SubscriptionKey"/>).
/// </summary>
[Alias("am.subscription")]
public interface ISubscriptionGrain : IGrainWithStringKey
{
    /// <summary>Creates the subscription; creating it again with the same settings succeeds and changes nothing.</summary>
    [Alias("create")]
    Task<CreateSubscriptionResult> CreateAsync(SubscriptionSettings settings);

    /// <summary>Settings and fresh counters.</summary>
    [Alias("get")]
    Task<SubscriptionInfo> GetAsync();

    /// <summary>Changes settings; <see cref="SubscriptionSettings.StartAt"/> applies only at creation and is kept.</summary>
    [Alias("update")]
    Task<SubscriptionInfo> UpdateAsync(SubscriptionSettings settings);

    [Alias("delete"), ResponseTimeout("00:01:00")]
    Task DeleteAsync();

    [Alias("stats")]
    Task<SubscriptionStats> GetStatsAsync();

    /// <summary>
    /// Leases up to <paramref name="maxMessages"/> messages. When none is ready, waits up to
    /// <paramref name="wait"/> (at most 30 s) for one to arrive.
    /// </summary>
    // The wait may be as long as Orleans' default response timeout; give the call room beyond it.
    [Alias("pull"), Orleans.Concurrency.AlwaysInterleave, ResponseTimeout("00:01:00")]
    Task<IReadOnlyList<Delivery>> PullAsync(int maxMessages, TimeSpan wait);

    /// <summary>
    /// Ends the leases: the messages are done. On an exactly-once subscription returns once the acks are durable; an
    /// ack that could not be saved is listed with <see cref="ErrorCode.AckNotDurable"/> and its message comes again.
    /// </summary>
    // Interleaves so acks of other consumers join the save an exactly-once ack waits for; applying acks is one turn.
    [Alias("ack"), Orleans.Concurrency.AlwaysInterleave]
    Task<SettleResult> AckAsync(IReadOnlyList<string> ackIds);

    /// <summary>Ends the leases and redelivers after <paramref name="delay"/>, or after the retry backoff when null.</summary>
    [Alias("nack")]
    Task<SettleResult> NackAsync(IReadOnlyList<string> ackIds, TimeSpan? delay);

    /// <summary>
    /// Moves leased messages to the dead-letter store (or the dead-letter topic) at once, with reason
    /// <c>rejected</c>: the consumer knows they will never succeed.
    /// </summary>
    /// <exception cref="BrokerException"><see cref="ErrorCode.InvalidArgument"/> when the subscription has dead-lettering off.</exception>
    [Alias("reject")]
    Task<SettleResult> RejectAsync(IReadOnlyList<string> ackIds);

    /// <summary>Pushes the deadline of each lease to now plus <paramref name="extension"/> (at most 10 minutes).</summary>
    [Alias("extend")]
    Task<SettleResult> ExtendAsync(IReadOnlyList<string> ackIds, TimeSpan extension);

    /// <summary>
    /// Moves the cursor to <paramref name="target"/>: messages before it count as acked, messages from it on are
    /// delivered again (leases in flight end). Returns the subscription with its new counters.
    /// </summary>
    /// <exception cref="BrokerException"><see cref="ErrorCode.InvalidArgument"/> for a sequence the topic does not retain or a time outside its retention.</exception>
    [Alias("seek")]
    Task<SubscriptionInfo> SeekAsync(SeekTarget target);

    [Alias("dead-letters"), Orleans.Concurrency.ReadOnly]
    Task<DeadLetterPage> ListDeadLettersAsync(int maxItems, long? afterSequence);

    /// <summary>Puts dead letters back into delivery with fresh attempts: the given sequences, or all when null. Returns how many.</summary>
    [Alias("resubmit-dead-letters"), ResponseTimeout("00:01:00")]
    Task<int> ResubmitDeadLettersAsync(IReadOnlyList<long>? sequences);

    /// <summary>Deletes every dead letter. Returns how many.</summary>
    [Alias("purge-dead-letters"), ResponseTimeout("00:01:00")]
    Task<int> PurgeDeadLettersAsync();

    /// <summary>
    /// Attaches (or renews) a push consumer. Returns how long the registration lives: the caller renews
    /// it before then, so consumers of a gateway that died stop receiving.
    /// </summary>
    [Alias("attach")]
    Task<TimeSpan> AttachAsync(ConsumerRegistration consumer);

    [Alias("detach")]
    Task DetachAsync(string consumerId);

    /// <summary>Called by the topic after a batch became durable, for subscriptions that watch it.</summary>
    [Alias("on-published"), Orleans.Concurrency.OneWay]
    Task OnPublishedAsync(PublishedBatch batch);

    /// <summary>
    /// Called by a topic that deletes acked messages (<see cref="TopicSettings.RetainAckedMessages"/> false): the lowest
    /// sequence not yet settled, as of a state write that finished after the call began, so a crash never brings back a
    /// lower one. <paramref name="lastSequence"/> is the topic's last durable sequence, up to which filtered-out messages
    /// are settled first. <see cref="long.MaxValue"/> when the subscription does not exist: it holds nothing back.
    /// </summary>
    // Interleaves: it reads settled state and waits on a write only, and the topic may call it while this
    // subscription waits on the topic (creating, seeking), which must not deadlock.
    [Alias("durable-ack-floor"), Orleans.Concurrency.AlwaysInterleave]
    Task<long> GetDurableAckFloorAsync(long lastSequence);

    /// <summary>Called by the topic when it is deleted.</summary>
    [Alias("on-topic-deleted"), Orleans.Concurrency.AlwaysInterleave]
    Task OnTopicDeletedAsync();
}
