using System.Diagnostics.CodeAnalysis;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// What a subscription has settled and what it still owes: the settled set, the unsettled messages held in memory
/// (by sequence), and the delivery attempts restored from storage for messages not read again yet. It alone maps
/// these to and from <see cref="SubscriptionState"/>, so the stored form is decided in this one file.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly Dictionary<long, PendingMessage> _pending = [];
    private SettledSet _settled = new(1, []);

    // Attempts stored for messages this activation has not read yet: they count again once the message is read.
    private Dictionary<long, int> _restoredAttempts = [];

    /// <summary>The lowest unsettled sequence.</summary>
    public long Floor => _settled.Floor;

    /// <summary>Rises with every settlement: compared before and after some work, it tells whether any happened.</summary>
    public long Progress => _settled.Floor + _settled.CountAboveFloor;

    /// <summary>Dead letters put back into delivery and not settled again yet (their sequences are already settled).</summary>
    public int ResubmittedCount { get; private set; }

    public IEnumerable<PendingMessage> Pending => _pending.Values;

    /// <summary>Starts over from what storage holds; returns the resubmitted dead letters, which are due at once.</summary>
    public IReadOnlyList<PendingMessage> Load(SubscriptionState state)
    {
        _pending.Clear();
        _settled = new SettledSet(state.AckFloor, state.SettledAboveFloor);
        _restoredAttempts = new Dictionary<long, int>(state.Attempts);
        ResubmittedCount = 0;
        return [.. state.Resubmitted.Select(message => Resubmit(message, _restoredAttempts.GetValueOrDefault(message.Sequence)))];
    }

    /// <summary>Writes fresh copies into <paramref name="state"/>: these structures keep changing while a write is in flight.</summary>
    public void SaveTo(SubscriptionState state)
    {
        state.AckFloor = _settled.Floor;
        state.SettledAboveFloor = [.. _settled.RangesAboveFloor];
        var attempts = new Dictionary<long, int>(_restoredAttempts);
        foreach (var pending in _pending.Values)
        {
            if (pending.Attempts > 0)
            {
                attempts[pending.Sequence] = pending.Attempts;
            }
        }

        state.Attempts = attempts;
        state.Resubmitted = ResubmittedMessages();
    }

    /// <summary>
    /// Moves the stored cursor to <paramref name="sequence"/>: everything before it settled, everything from it on
    /// unsettled with fresh attempts; dead letters put back by hand stay in delivery. Load the state again after.
    /// </summary>
    public void RewindTo(SubscriptionState state, long sequence)
    {
        state.AckFloor = sequence;
        state.SettledAboveFloor = [];
        state.Attempts = [];
        state.Resubmitted = ResubmittedMessages();
    }

    public bool IsSettled(long sequence) => _settled.Contains(sequence);

    public bool IsPending(long sequence) => _pending.ContainsKey(sequence);

    /// <summary>Settled, or held in memory: either way a read of the log must not take it again.</summary>
    public bool Tracks(long sequence) => _settled.Contains(sequence) || _pending.ContainsKey(sequence);

    public bool TryGet(long sequence, [NotNullWhen(true)] out PendingMessage? pending) => _pending.TryGetValue(sequence, out pending);

    /// <summary>Unsettled sequences of the log up to <paramref name="last"/> (dead letters put back not included); negative when none.</summary>
    public long UnsettledThrough(long last) => Math.Max(0, last - _settled.Floor + 1) - _settled.CountAboveFloor;

    /// <summary>Holds a message read from the log, with the attempts storage had for it.</summary>
    public PendingMessage Add(StoredMessage message, int filterVersion)
    {
        _restoredAttempts.Remove(message.Sequence, out var attempts);
        var pending = new PendingMessage(message, attempts, resubmitted: false) { FilterVersion = filterVersion };
        _pending[message.Sequence] = pending;
        return pending;
    }

    /// <summary>Holds a dead letter put back into delivery; it never counts toward the read-ahead.</summary>
    public PendingMessage Resubmit(StoredMessage message, int attempts)
    {
        var pending = new PendingMessage(message, attempts, resubmitted: true) { Fresh = false };
        _pending[message.Sequence] = pending;
        ResubmittedCount++;
        return pending;
    }

    /// <summary>Done for this subscription (acked, dead-lettered, expired or filtered out).</summary>
    public void Complete(PendingMessage pending)
    {
        _pending.Remove(pending.Sequence);
        if (pending.Resubmitted)
        {
            ResubmittedCount--;
        }
        else
        {
            _settled.Add(pending.Sequence);
        }
    }

    /// <summary>Settles a message read from the log that will never be delivered (the filter rejects it).</summary>
    public void SettleUnread(long sequence)
    {
        _restoredAttempts.Remove(sequence);
        _settled.Add(sequence);
    }

    /// <summary>
    /// Settles the sequences from <paramref name="from"/> that a read of the log did not return because retention
    /// removed them: they can never be delivered.
    /// </summary>
    public void SettleMissing(long from, IReadOnlyList<StoredMessage> messages, long next)
    {
        var firstPresent = messages.Count > 0 ? messages[0].Sequence : next;
        if (firstPresent > from)
        {
            _settled.AddRange(from, firstPresent - 1);
        }
    }

    private List<StoredMessage> ResubmittedMessages() =>
        [.. _pending.Values.Where(p => p.Resubmitted).Select(p => p.Message).OrderBy(m => m.Sequence)];
}
