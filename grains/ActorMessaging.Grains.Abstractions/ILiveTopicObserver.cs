namespace ActorMessaging;

/// <summary>
/// A gateway's receiver for a topic's live subscribers (one observer per gateway, whatever the number of
/// topics and connections). The topic sends it every durable batch once, with no leases and no per-subscriber
/// state at the grain: live subscribers start at the latest message and ack on delivery, so the gateway alone
/// tracks them. Calls are one-way; a batch that goes missing shows up as a gap in the sequence, which the
/// gateway reads back from the log (<see cref="ITopicGrain.ReadAsync"/>).
/// </summary>
[Alias("am.live-topic-observer")]
public interface ILiveTopicObserver : IGrainObserver
{
    [Alias("published"), Orleans.Concurrency.OneWay]
    Task OnPublishedAsync(string topic, PublishedBatch batch);

    /// <summary>The topic was deleted: its live subscribers receive nothing more.</summary>
    [Alias("topic-deleted"), Orleans.Concurrency.OneWay]
    Task OnTopicDeletedAsync(string topic);
}
