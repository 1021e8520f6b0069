namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// The durable part of a subscription: where it stands in the log and what it owes. Leases are not
/// stored: after a crash every unsettled message is simply delivered again.
/// </summary>
[GenerateSerializer, Alias("am.subscription-state")]
public sealed class SubscriptionState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public SubscriptionSettings Settings { get; set; } = new();

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Every sequence below this one is settled.</summary>
    [Id(3)] public long AckFloor { get; set; } = 1;

    /// <summary>Settled sequences at or above <see cref="AckFloor"/>.</summary>
    [Id(4)] public List<SequenceRange> SettledAboveFloor { get; set; } = [];

    /// <summary>Deliveries so far of unsettled messages that were delivered at least once.</summary>
    [Id(5)] public Dictionary<long, int> Attempts { get; set; } = [];

    /// <summary>Dead letters put back into delivery, kept here until they are settled again.</summary>
    [Id(6)] public List<StoredMessage> Resubmitted { get; set; } = [];
}
