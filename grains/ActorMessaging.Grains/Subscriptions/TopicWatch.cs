namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// The subscription's watch on its topic (the topic then tells it of publishes), renewed while anyone waits for
/// messages. Renewals are not awaited: the topic may be on a silo that does not answer (frozen or cut off), and a
/// turn that waited would hold acks, extensions and attaches for the whole response timeout, long enough for leases
/// to run out and messages to be delivered twice. Until the topic answers, reads of the log and the lease timers
/// keep the subscription going.
/// </summary>
internal sealed class TopicWatch
{
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(10);

    private DateTimeOffset _renewedAt = DateTimeOffset.MinValue;
    private bool _renewing;

    /// <summary>True when a renewal is due and none is under way: the caller starts one and calls <see cref="Ended"/> when it returns.</summary>
    public bool TryBeginRenewal(DateTimeOffset now)
    {
        if (_renewing || now - _renewedAt < Renewal)
        {
            return false;
        }

        _renewedAt = now;
        _renewing = true;
        return true;
    }

    public void Ended() => _renewing = false;

    /// <summary>A watch was placed some other way (a waiting pull).</summary>
    public void Renewed(DateTimeOffset now) => _renewedAt = now;

    /// <summary>The watch may be gone (a failed renewal, a reload): renew it at the next chance.</summary>
    public void Lapse() => _renewedAt = DateTimeOffset.MinValue;
}
