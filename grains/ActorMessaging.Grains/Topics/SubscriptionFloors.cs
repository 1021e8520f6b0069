namespace ActorMessaging.Grains.Topics;

/// <summary>
/// What a topic that deletes acked messages has learned about its subscriptions' durable ack floors. A floor
/// only rises (a seek back below it replays only what is still retained), so a remembered one is a safe lower
/// bound, and a subscription is asked again only when it is what holds a chunk back. One whose floor did not
/// move is asked less and less often, so an idle subscription is not kept awake by its topic.
/// </summary>
internal sealed class SubscriptionFloors
{
    /// <summary>A subscription that is moving is asked at most this often.</summary>
    public static readonly TimeSpan MinAskInterval = TimeSpan.FromSeconds(5);

    /// <summary>A subscription that stands still is asked at least this often.</summary>
    public static readonly TimeSpan MaxAskInterval = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The subscriptions to ask: unknown ones, and those that are due and not known to have settled <paramref name="lastSequence"/>.</summary>
    public List<string> ToAsk(IEnumerable<string> subscriptions, long lastSequence, DateTimeOffset now) =>
        [.. subscriptions.Where(s => !_entries.TryGetValue(s, out var entry) || (entry.Floor <= lastSequence && entry.NextAsk <= now))];

    public void Learned(string subscription, long floor, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(subscription, out var entry))
        {
            _entries[subscription] = new Entry(floor, now + MinAskInterval, MinAskInterval);
            return;
        }

        var moved = floor > entry.Floor;
        entry.Interval = moved ? MinAskInterval : Longer(entry.Interval);
        entry.NextAsk = now + entry.Interval;
        entry.Floor = floor;
    }

    /// <summary>An unanswered question: nothing more is known, and it is asked again later.</summary>
    public void Failed(string subscription, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(subscription, out var entry))
        {
            // Unknown holds everything back until an answer comes.
            _entries[subscription] = new Entry(0, now + MinAskInterval, MinAskInterval);
            return;
        }

        entry.Interval = Longer(entry.Interval);
        entry.NextAsk = now + entry.Interval;
    }

    /// <summary>The lowest floor among <paramref name="subscriptions"/>: zero when one is unknown, the maximum when there are none.</summary>
    public long Min(IEnumerable<string> subscriptions)
    {
        var min = long.MaxValue;
        foreach (var subscription in subscriptions)
        {
            min = Math.Min(min, _entries.TryGetValue(subscription, out var entry) ? entry.Floor : 0);
        }

        return min;
    }

    /// <summary>Forgets subscriptions the topic no longer has.</summary>
    public void Keep(IReadOnlyCollection<string> subscriptions)
    {
        if (_entries.Count > subscriptions.Count)
        {
            var current = subscriptions.ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _entries.Keys.Where(s => !current.Contains(s)).ToList())
            {
                _entries.Remove(gone);
            }
        }
    }

    private static TimeSpan Longer(TimeSpan interval) => interval * 2 < MaxAskInterval ? interval * 2 : MaxAskInterval;

    private sealed class Entry(long floor, DateTimeOffset nextAsk, TimeSpan interval)
    {
        public long Floor { get; set; } = floor;

        public DateTimeOffset NextAsk { get; set; } = nextAsk;

        public TimeSpan Interval { get; set; } = interval;
    }
}
