using ActorMessaging.Filters;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// The filter in force, its version, and how far the log has been judged by it. A message read ahead carries the
/// version it was judged under, so one taken under an older filter is judged again before it is handed out.
/// </summary>
internal sealed class AdmissionFilter
{
    private MessageFilter _filter = MessageFilter.All;

    /// <summary>Bumped when the filter changes.</summary>
    public int Version { get; private set; }

    /// <summary>False when every message passes, so there is nothing to judge ahead of delivery.</summary>
    public bool IsActive => _filter.Expression is not null;

    /// <summary>Every sequence up to here was read and judged (by the read-ahead or by a stats scan).</summary>
    public long JudgedThrough { get; private set; }

    /// <summary>On (re)loading the subscription: nothing is judged yet.</summary>
    public void Load(MessageFilter filter)
    {
        Use(filter);
        JudgedThrough = 0;
    }

    public void Use(MessageFilter filter)
    {
        if (filter.Expression != _filter.Expression)
        {
            _filter = filter;
            Version++;
        }
    }

    public bool Matches(StoredMessage message) => _filter.Matches(message);

    /// <summary>Judges <paramref name="pending"/> again if the filter changed since it was judged (and notes that it was).</summary>
    public bool StillMatches(PendingMessage pending)
    {
        if (pending.FilterVersion == Version)
        {
            return true;
        }

        pending.FilterVersion = Version;
        return _filter.Matches(pending.Message);
    }

    public void Judged(long through) => JudgedThrough = Math.Max(JudgedThrough, through);
}
