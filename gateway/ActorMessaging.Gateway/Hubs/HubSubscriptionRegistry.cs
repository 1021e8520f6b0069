using System.Collections.Concurrent;
using System.Globalization;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// The subscriptions connections hold on this gateway process, durable consumers and live subscribers alike:
/// by id (how deliveries are routed) and by connection (what a connection has subscribed, to clean up when it
/// leaves, and to bound how much one connection holds).
/// </summary>
internal sealed class HubSubscriptionRegistry
{
    /// <summary>Subscriptions one connection may hold at once.</summary>
    public const int MaxSubscriptionsPerConnection = 100;

    private readonly ConcurrentDictionary<string, IHubSubscription> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConnectionConsumers> _byConnection = new(StringComparer.Ordinal);

    // Connections that left, remembered for a while: a subscribe still running when its connection
    // closed must not leave a consumer behind that nobody would ever remove.
    private readonly ConcurrentDictionary<string, long> _closed = new(StringComparer.Ordinal);
    private static readonly TimeSpan RememberClosedFor = TimeSpan.FromMinutes(10);
    private long _lastForget = Environment.TickCount64;
    private long _nextConsumer;

    public int Count => _byId.Count;

    public IReadOnlyList<IHubSubscription> All => [.. _byId.Values];

    public bool TryGet(string id, out IHubSubscription subscription) => _byId.TryGetValue(id, out subscription!);

    public IHubSubscription? Find(string connectionId, string topic, string subscription)
    {
        if (!_byConnection.TryGetValue(connectionId, out var connection))
        {
            return null;
        }

        lock (connection)
        {
            return connection.Consumers.GetValueOrDefault((topic, subscription));
        }
    }

    /// <summary>A consumer id unique per connection and subscription: a new one for every subscribe.</summary>
    public string NewConsumerId(string connectionId) =>
        $"{connectionId}.{Interlocked.Increment(ref _nextConsumer).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Adds the subscription, unless its connection has already left or holds too many.</summary>
    public void Add(IHubSubscription consumer)
    {
        var connection = _byConnection.GetOrAdd(consumer.ConnectionId, _ => new ConnectionConsumers());
        lock (connection)
        {
            if (connection.Closed || _closed.ContainsKey(consumer.ConnectionId))
            {
                RemoveIfEmpty(consumer.ConnectionId, connection);
                throw new BrokerException(ErrorCode.Unavailable, "The connection is closing.");
            }

            var key = (consumer.Topic, consumer.Subscription);
            if (connection.Consumers.ContainsKey(key))
            {
                throw new BrokerException(ErrorCode.AlreadyExists, $"The connection already subscribes to subscription '{consumer.Subscription}' of topic '{consumer.Topic}'.");
            }

            if (connection.Consumers.Count >= MaxSubscriptionsPerConnection)
            {
                throw new BrokerException(ErrorCode.EntityLimitReached, $"A connection may hold at most {MaxSubscriptionsPerConnection} subscriptions.");
            }

            connection.Consumers[key] = consumer;
            _byId[consumer.Id] = consumer;
        }
    }

    /// <summary>Removes the subscription; false when it was already gone.</summary>
    public bool Remove(IHubSubscription consumer)
    {
        if (!_byId.TryRemove(new KeyValuePair<string, IHubSubscription>(consumer.Id, consumer)))
        {
            return false;
        }

        if (_byConnection.TryGetValue(consumer.ConnectionId, out var connection))
        {
            lock (connection)
            {
                connection.Consumers.Remove((consumer.Topic, consumer.Subscription));
            }
        }

        return true;
    }

    /// <summary>Marks the connection gone (later subscribes fail) and returns the subscriptions it held, now removed.</summary>
    public IReadOnlyList<IHubSubscription> CloseConnection(string connectionId)
    {
        ForgetOldClosed();
        _closed[connectionId] = Environment.TickCount64;
        if (!_byConnection.TryRemove(connectionId, out var connection))
        {
            return [];
        }

        List<IHubSubscription> consumers;
        lock (connection)
        {
            connection.Closed = true;
            consumers = [.. connection.Consumers.Values];
            connection.Consumers.Clear();
        }

        foreach (var consumer in consumers)
        {
            _byId.TryRemove(new KeyValuePair<string, IHubSubscription>(consumer.Id, consumer));
        }

        return consumers;
    }

    /// <summary>Every connection's subscriptions, removed: the gateway is stopping.</summary>
    public IReadOnlyList<IHubSubscription> CloseAll() => [.. _byConnection.Keys.SelectMany(CloseConnection)];

    private void RemoveIfEmpty(string connectionId, ConnectionConsumers connection)
    {
        if (connection.Consumers.Count == 0)
        {
            _byConnection.TryRemove(new KeyValuePair<string, ConnectionConsumers>(connectionId, connection));
        }
    }

    private void ForgetOldClosed()
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastForget);
        if (now - last < 60_000 || Interlocked.CompareExchange(ref _lastForget, now, last) != last)
        {
            return;
        }

        var cutoff = now - (long)RememberClosedFor.TotalMilliseconds;
        foreach (var (connectionId, closedAt) in _closed)
        {
            if (closedAt < cutoff)
            {
                _closed.TryRemove(connectionId, out _);
            }
        }
    }

    private sealed class ConnectionConsumers
    {
        public Dictionary<(string Topic, string Subscription), IHubSubscription> Consumers { get; } = [];

        public bool Closed { get; set; }
    }
}
