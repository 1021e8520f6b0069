namespace ActorMessaging.Client;

/// <summary>How an <see cref="ActorMessagingProcessor"/> runs its handlers. Values are checked when set.</summary>
public sealed class ActorMessagingProcessorOptions
{
    private int _maxConcurrentCalls = 1;
    private int _prefetchCount = 100;
    private TimeSpan _maxAutoLeaseRenewalDuration = TimeSpan.FromMinutes(5);

    /// <summary>How many messages the handler processes at once. Default 1; 1 to 1000.</summary>
    public int MaxConcurrentCalls
    {
        get => _maxConcurrentCalls;
        set => _maxConcurrentCalls = ActorMessagingRetryOptions.InRange(value, 1, 1000, nameof(MaxConcurrentCalls));
    }

    /// <summary>
    /// How many unsettled messages the gateway leases to this processor at most (the hub's <c>maxInFlight</c>): the ones
    /// being handled plus those waiting for a free handler. Default 100; 1 to 10000. Keep it at least
    /// <see cref="MaxConcurrentCalls"/>, or fewer handlers run at once.
    /// </summary>
    public int PrefetchCount
    {
        get => _prefetchCount;
        set => _prefetchCount = ActorMessagingRetryOptions.InRange(value, 1, 10000, nameof(PrefetchCount));
    }

    /// <summary>
    /// Ack a message when the handler returns and nack it (redelivery after the subscription's backoff) when the handler
    /// throws, unless the handler settled it itself. Default true. When false, the handler settles every message
    /// (<see cref="ProcessMessageEventArgs.AckAsync"/>, <see cref="ProcessMessageEventArgs.NackAsync"/>); one it leaves
    /// unsettled is delivered again once its lease ends.
    /// </summary>
    public bool AutoAck { get; set; } = true;

    /// <summary>
    /// How long the processor keeps renewing a message's lease (over the HTTP <c>extend</c> endpoint, each time by the
    /// subscription's ack deadline) while it waits for or runs in a handler, counted from delivery. Default 5 minutes;
    /// zero turns renewal off; at most 1 day.
    /// </summary>
    public TimeSpan MaxAutoLeaseRenewalDuration
    {
        get => _maxAutoLeaseRenewalDuration;
        set => _maxAutoLeaseRenewalDuration = ActorMessagingRetryOptions.InRange(value, TimeSpan.Zero, TimeSpan.FromDays(1), nameof(MaxAutoLeaseRenewalDuration));
    }

    internal ActorMessagingProcessorOptions Clone() => (ActorMessagingProcessorOptions)MemberwiseClone();
}
