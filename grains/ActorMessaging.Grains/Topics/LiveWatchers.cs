namespace ActorMessaging.Grains.Topics;

/// <summary>
/// The gateways that have live subscribers of one topic, each with the time its registration runs out.
/// One entry per gateway, not per connection: the topic sends each batch once per gateway, and the gateway
/// fans it out to its own connections.
/// </summary>
internal sealed class LiveWatchers
{
    /// <summary>A gateway renews every 20 s; three missed renewals and the topic stops sending to it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly Dictionary<ILiveTopicObserver, DateTimeOffset> _expiries = [];

    public int Count => _expiries.Count;

    public void Renew(ILiveTopicObserver observer, DateTimeOffset now) => _expiries[observer] = now + Lifetime;

    public void Remove(ILiveTopicObserver observer) => _expiries.Remove(observer);

    public void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (observer, expires) in _expiries.ToList())
        {
            if (expires < now)
            {
                _expiries.Remove(observer);
            }
        }
    }

    /// <summary>One-way sends: a slow or gone gateway never delays the publisher.</summary>
    public void Published(string topic, PublishedBatch batch, DateTimeOffset now)
    {
        foreach (var (observer, expires) in _expiries)
        {
            if (expires >= now)
            {
                _ = observer.OnPublishedAsync(topic, batch);
            }
        }
    }

    public void TopicDeleted(string topic)
    {
        foreach (var observer in _expiries.Keys)
        {
            _ = observer.OnTopicDeletedAsync(topic);
        }

        _expiries.Clear();
    }
}
