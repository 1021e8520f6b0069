using System.Diagnostics.CodeAnalysis;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Messages waiting to be handed out, the earliest due first (in sequence order among equals): new reads, retries
/// after their backoff, scheduled messages at their time. It counts the fresh ones (never handed out by this
/// activation), which are what the read-ahead keeps filled.
/// </summary>
internal sealed class ReadyQueue
{
    private readonly PriorityQueue<PendingMessage, (DateTimeOffset At, long Sequence)> _queue = new();

    /// <summary>Fresh messages in the queue: the read-ahead buffer's fill.</summary>
    public int Fresh { get; private set; }

    /// <summary>When the first message is due; null when the queue is empty.</summary>
    public DateTimeOffset? NextDue => _queue.TryPeek(out _, out var key) ? key.At : null;

    public void Add(PendingMessage pending, DateTimeOffset dueAt)
    {
        pending.InReady = true;
        if (pending.Fresh)
        {
            Fresh++;
        }

        _queue.Enqueue(pending, (dueAt, pending.Sequence));
    }

    public bool HasDue(DateTimeOffset now) => _queue.TryPeek(out _, out var key) && key.At <= now;

    /// <summary>Takes the first message due by <paramref name="now"/>; from here on it is no longer fresh.</summary>
    public bool TryTakeDue(DateTimeOffset now, [NotNullWhen(true)] out PendingMessage? pending)
    {
        if (!_queue.TryPeek(out pending, out var key) || key.At > now)
        {
            pending = null;
            return false;
        }

        _queue.Dequeue();
        pending.InReady = false;
        if (pending.Fresh)
        {
            pending.Fresh = false;
            Fresh--;
        }

        return true;
    }

    public void Clear()
    {
        _queue.Clear();
        Fresh = 0;
    }
}
