namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>This gateway's <see cref="ILiveTopicObserver"/>: hands each topic's batches to its feed, without waiting.</summary>
internal sealed class LiveTopicObserver(LiveFeeds feeds) : ILiveTopicObserver
{
    public Task OnPublishedAsync(string topic, PublishedBatch batch)
    {
        // A topic this gateway no longer follows keeps sending until its registration runs out; those are dropped.
        feeds.Find(topic)?.Published(batch);
        return Task.CompletedTask;
    }

    public Task OnTopicDeletedAsync(string topic)
    {
        feeds.CloseTopic(topic);
        return Task.CompletedTask;
    }
}
