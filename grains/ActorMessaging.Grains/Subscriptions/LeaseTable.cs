using System.Diagnostics.CodeAnalysis;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// The messages handed out and not settled yet: each lease has a deadline, and its ack id names the activation
/// epoch, the sequence and the attempt, so an id of an ended lease never settles a later delivery of the message.
/// </summary>
internal sealed class LeaseTable
{
    // Extending a lease enqueues its new deadline and leaves the old entry: a deadline that no longer matches is skipped.
    private readonly PriorityQueue<PendingMessage, DateTimeOffset> _expiries = new();

    /// <summary>Part of every ack id; a new one ends every lease of the one before (a seek).</summary>
    public int Epoch { get; private set; } = Random.Shared.Next();

    public int InFlight { get; private set; }

    public DateTimeOffset? NextExpiry => _expiries.TryPeek(out _, out var deadline) ? deadline : null;

    /// <summary>Leases the message as its next attempt; returns the ack id.</summary>
    public string Grant(PendingMessage pending, DateTimeOffset deadline, string? consumerId)
    {
        pending.Attempts++;
        pending.LeaseDeadline = deadline;
        pending.ConsumerId = consumerId;
        _expiries.Enqueue(pending, deadline);
        InFlight++;
        return AckId.Format(Epoch, pending.Sequence, pending.Attempts);
    }

    public void Extend(PendingMessage pending, DateTimeOffset deadline)
    {
        pending.LeaseDeadline = deadline;
        _expiries.Enqueue(pending, deadline);
    }

    public void End(PendingMessage pending)
    {
        pending.LeaseDeadline = null;
        pending.ConsumerId = null;
        if (--InFlight == 0)
        {
            // Every deadline left belongs to an ended lease. Dropped now, since with no lease the subscription stops
            // ticking, and nothing would take them out of the queue (and let their messages go) until the next lease.
            _expiries.Clear();
        }
    }

    /// <summary>The next lease whose deadline has passed by <paramref name="now"/>, if any; it is still to be ended.</summary>
    public bool TryTakeExpired(DateTimeOffset now, [NotNullWhen(true)] out PendingMessage? pending)
    {
        while (_expiries.TryPeek(out pending, out var deadline) && deadline <= now)
        {
            _expiries.Dequeue();
            if (pending.LeaseDeadline == deadline)
            {
                return true;
            }
        }

        pending = null;
        return false;
    }

    /// <summary>Forgets every lease (the messages are reloaded); with <paramref name="newEpoch"/> the ids handed out so far read as ended.</summary>
    public void Clear(bool newEpoch)
    {
        _expiries.Clear();
        InFlight = 0;
        if (newEpoch)
        {
            Epoch++;
        }
    }
}
