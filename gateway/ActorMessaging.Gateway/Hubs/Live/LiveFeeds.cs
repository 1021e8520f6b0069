using ActorMessaging.Filters;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// The live subscriptions of this gateway (<c>Subscribe(topic, null)</c>): one <see cref="LiveTopicFeed"/> per topic
/// that has any, registered with its topic grain through one observer per gateway. Nothing about a live
/// subscription is stored or held by a grain, so it goes with its connection (or its gateway) and leaves nothing
/// to clean up.
/// </summary>
internal sealed partial class LiveFeeds(
    IGrainFactory grains,
    HubSubscriptionRegistry registry,
    LiveMessageEncoder encoder,
    IHubContext<MessagingHub> hub,
    TimeProvider time,
    ILoggerFactory loggers,
    ILogger<LiveFeeds> logger)
{
    /// <summary>Live subscriptions are named <c>live-</c> and 32 hex digits.</summary>
    public const string LivePrefix = "live-";

    private const int RenewalParallelism = 16;

    private readonly Dictionary<string, LiveTopicFeed> _feeds = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private ILiveTopicObserver? _reference;

    // Orleans holds an observer object weakly: this field keeps it alive as long as its reference is in use.
    private LiveTopicObserver? _observer;

    /// <summary>A name for a new live subscription.</summary>
    public static string NewLiveName() => LivePrefix + Guid.NewGuid().ToString("N");

    public int TopicCount
    {
        get
        {
            lock (_lock)
            {
                return _feeds.Count;
            }
        }
    }

    public LiveTopicFeed? Find(string topic)
    {
        lock (_lock)
        {
            return _feeds.GetValueOrDefault(topic);
        }
    }

    /// <summary>Starts a live subscription of the connection at the topic's latest message, taking what <paramref name="filter"/> matches (everything when null); returns its name.</summary>
    /// <exception cref="BrokerException">The topic does not exist, or the connection is closing or holds too many subscriptions.</exception>
    public async Task<string> JoinAsync(string connectionId, string topic, int maxInFlight, MessageFilter? filter = null)
    {
        var feed = Hold(topic);
        try
        {
            await feed.StartAsync(Reference());
        }
        catch
        {
            Forget(feed);
            Release(feed);
            throw;
        }

        var subscriber = new LiveSubscriber(NewLiveName(), connectionId, maxInFlight, filter, feed, hub, loggers.CreateLogger<LiveSubscriber>());
        try
        {
            registry.Add(subscriber);
        }
        catch
        {
            Release(feed);
            throw;
        }

        subscriber.Start();
        if (!feed.Add(subscriber))
        {
            // The connection left while this ran (its clean-up stopped the subscriber), or the topic went.
            registry.Remove(subscriber);
            Leave(subscriber);
            if (feed.IsClosed)
            {
                throw new BrokerException(ErrorCode.TopicNotFound, $"Topic '{topic}' not found.");
            }
        }

        return subscriber.Subscription;
    }

    /// <summary>Ends a live subscription (its connection unsubscribed or left). Safe to call more than once.</summary>
    public void Leave(LiveSubscriber subscriber)
    {
        subscriber.Stop();
        if (subscriber.TryLeave())
        {
            subscriber.Feed.Remove(subscriber);
            Release(subscriber.Feed);
        }
    }

    /// <summary>The topic went: its live subscribers stop receiving (their connections stay).</summary>
    public void CloseTopic(string topic)
    {
        LiveTopicFeed? feed;
        lock (_lock)
        {
            _feeds.Remove(topic, out feed);
        }

        foreach (var subscriber in feed?.Close() ?? [])
        {
            registry.Remove(subscriber);
            subscriber.TryLeave();
            LogTopicGone(topic, subscriber.Subscription, subscriber.ConnectionId);
        }
    }

    /// <summary>Renews this gateway's registration with every followed topic and fills any gap the topic's position shows.</summary>
    public Task RenewAllAsync(bool onlyFailed, CancellationToken cancellationToken)
    {
        List<LiveTopicFeed> feeds;
        lock (_lock)
        {
            feeds = [.. _feeds.Values.Where(f => !onlyFailed || f.RenewalFailed)];
        }

        return Parallel.ForEachAsync(
            feeds,
            new ParallelOptions { MaxDegreeOfParallelism = RenewalParallelism, CancellationToken = cancellationToken },
            async (feed, _) => await RenewAsync(feed));
    }

    /// <summary>The gateway is stopping: the topics stop sending here.</summary>
    public async Task CloseAllAsync()
    {
        List<LiveTopicFeed> feeds;
        ILiveTopicObserver? reference;
        lock (_lock)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
            (reference, _reference) = (_reference, null);
            _observer = null;
        }

        foreach (var feed in feeds)
        {
            feed.Close();
        }

        if (reference is null)
        {
            return;
        }

        await Task.WhenAll(feeds.Select(feed => UnwatchAsync(feed.Topic, reference)));
        grains.DeleteObjectReference<ILiveTopicObserver>(reference);
    }

    private async Task RenewAsync(LiveTopicFeed feed)
    {
        try
        {
            var position = await grains.GetGrain<ITopicGrain>(feed.Topic).WatchLiveAsync(Reference());
            feed.RenewalFailed = false;
            feed.CatchUpTo(position.NextSequence);
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.TopicNotFound)
        {
            CloseTopic(feed.Topic);
        }
        catch (Exception exception)
        {
            // Retried within seconds (HubSubscriptionRenewal.LookInterval): the topic may be on a silo that is dying.
            feed.RenewalFailed = true;
            LogRenewFailed(exception, feed.Topic);
        }
    }

    private async Task UnwatchAsync(string topic, ILiveTopicObserver reference)
    {
        try
        {
            await grains.GetGrain<ITopicGrain>(topic).UnwatchLiveAsync(reference);
        }
        catch (Exception exception)
        {
            // The registration runs out on its own.
            LogUnwatchFailed(exception, topic);
        }
    }

    private LiveTopicFeed Hold(string topic)
    {
        lock (_lock)
        {
            if (!_feeds.TryGetValue(topic, out var feed))
            {
                feed = new LiveTopicFeed(topic, grains.GetGrain<ITopicGrain>(topic), encoder, time, loggers.CreateLogger<LiveTopicFeed>());
                _feeds[topic] = feed;
            }

            feed.Holders++;
            return feed;
        }
    }

    private void Release(LiveTopicFeed feed)
    {
        lock (_lock)
        {
            if (--feed.Holders > 0 || !_feeds.TryGetValue(feed.Topic, out var current) || current != feed)
            {
                return;
            }

            // Its registration with the topic runs out by itself; unwatching here could race a new feed's watch.
            _feeds.Remove(feed.Topic);
        }

        feed.Close();
    }

    /// <summary>A feed that failed to start is not reused: the next subscriber starts a new one.</summary>
    private void Forget(LiveTopicFeed feed)
    {
        lock (_lock)
        {
            if (_feeds.TryGetValue(feed.Topic, out var current) && current == feed)
            {
                _feeds.Remove(feed.Topic);
            }
        }
    }

    /// <summary>The observer reference, created on first use: from a hub call, never from a grain or silo start-up.</summary>
    internal ILiveTopicObserver Reference()
    {
        lock (_lock)
        {
            if (_reference is null)
            {
                _observer = new LiveTopicObserver(this);
                _reference = grains.CreateObjectReference<ILiveTopicObserver>(_observer);
            }

            return _reference;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} is gone; live subscription {Subscription} of connection {ConnectionId} ends")]
    private partial void LogTopicGone(string topic, string subscription, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the live feed of {Topic} failed; retrying at the next renewal")]
    private partial void LogRenewFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unregistering the live feed of {Topic} failed")]
    private partial void LogUnwatchFailed(Exception exception, string topic);
}
