namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// One lane per ordering key: the lane's first message is the only one of its key that may be ready or
/// leased; the others wait behind it in sequence order until it is acked or dead-lettered. Messages
/// without a key, and dead letters put back by hand, take no lane.
/// </summary>
internal sealed class OrderingLanes
{
    // Messages held back behind their key's head still occupy memory; past this many the read-ahead pauses, and
    // only then can a stuck key hold back others. Far above the read-ahead so independent keys keep flowing.
    private const int MaxWaiting = 50_000;

    private readonly Dictionary<string, Queue<PendingMessage>> _lanes = new(StringComparer.Ordinal);

    /// <summary>Messages waiting behind the head of their lane.</summary>
    public int Waiting { get; private set; }

    /// <summary>So many messages wait behind their lane's head that reading further ahead must pause.</summary>
    public bool IsFull => Waiting >= MaxWaiting;

    public void Clear()
    {
        _lanes.Clear();
        Waiting = 0;
    }

    /// <summary>Adds a message (in sequence order per key); true when it may be delivered now, false when it waits.</summary>
    public bool Enter(PendingMessage pending)
    {
        if (pending.Message.OrderingKey is not { } key || pending.Resubmitted)
        {
            return true;
        }

        if (_lanes.TryGetValue(key, out var lane))
        {
            lane.Enqueue(pending);
            Waiting++;
            return false;
        }

        _lanes[key] = new Queue<PendingMessage>([pending]);
        return true;
    }

    /// <summary>The message is settled: returns the next of its key, which may be delivered now, if any.</summary>
    public PendingMessage? Leave(PendingMessage pending)
    {
        if (pending.Message.OrderingKey is not { } key || pending.Resubmitted
            || !_lanes.TryGetValue(key, out var lane) || !ReferenceEquals(lane.Peek(), pending))
        {
            return null;
        }

        lane.Dequeue();
        if (lane.Count == 0)
        {
            _lanes.Remove(key);
            return null;
        }

        Waiting--;
        return lane.Peek();
    }
}
