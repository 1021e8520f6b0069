namespace ActorMessaging.Grains.Subscriptions;

/// <summary>An unsettled message the subscription holds in memory: waiting, leased, or being dead-lettered.</summary>
internal sealed class PendingMessage(StoredMessage message, int attempts, bool resubmitted)
{
    public StoredMessage Message { get; } = message;

    public long Sequence => Message.Sequence;

    /// <summary>Deliveries so far.</summary>
    public int Attempts { get; set; } = attempts;

    /// <summary>A dead letter put back into delivery (its sequence is already settled in the log).</summary>
    public bool Resubmitted { get; } = resubmitted;

    /// <summary>Never handed out by this activation; counts toward the read-ahead buffer.</summary>
    public bool Fresh { get; set; } = true;

    public bool InReady { get; set; }

    /// <summary>Being written to the dead-letter store; neither ready nor leased.</summary>
    public bool Parking { get; set; }

    public DateTimeOffset? LeaseDeadline { get; set; }

    public string? ConsumerId { get; set; }

    public bool Leased => LeaseDeadline is not null;

    /// <summary>The subscription's filter version this message was judged under.</summary>
    public int FilterVersion { get; set; }
}
