namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Which sequences a subscription has settled (acked, dead-lettered, skipped). Everything below
/// <see cref="Floor"/> is settled; above it, settled sequences are kept as disjoint ranges, because
/// acks arrive mostly in order and ranges keep the persisted state small even with a stuck message.
/// </summary>
internal sealed class SettledSet
{
    private readonly List<SequenceRange> _ranges;

    public SettledSet(long floor, IEnumerable<SequenceRange> rangesAboveFloor)
    {
        Floor = floor;
        _ranges = [.. rangesAboveFloor.Where(r => r.Last >= floor).OrderBy(r => r.First)];
        Normalize();
    }

    /// <summary>The lowest unsettled sequence.</summary>
    public long Floor { get; private set; }

    public IReadOnlyList<SequenceRange> RangesAboveFloor => _ranges;

    /// <summary>Settled sequences at or above the floor.</summary>
    public long CountAboveFloor => _ranges.Sum(r => r.Count);

    public bool Contains(long sequence)
    {
        if (sequence < Floor)
        {
            return true;
        }

        var index = FindRangeAtOrBefore(sequence);
        return index >= 0 && _ranges[index].Last >= sequence;
    }

    /// <summary>The first sequence at or after <paramref name="sequence"/> that is not settled.</summary>
    public long NextUnsettled(long sequence)
    {
        sequence = Math.Max(sequence, Floor);
        var index = FindRangeAtOrBefore(sequence);
        return index >= 0 && _ranges[index].Last >= sequence ? _ranges[index].Last + 1 : sequence;
    }

    public void Add(long sequence) => AddRange(sequence, sequence);

    public void AddRange(long first, long last)
    {
        first = Math.Max(first, Floor);
        if (last < first)
        {
            return;
        }

        var index = FindRangeAtOrBefore(first);
        _ranges.Insert(index + 1, new SequenceRange(first, last));
        Normalize();
    }

    // Merges overlapping or adjacent ranges and lifts the floor over a range that starts at it.
    private void Normalize()
    {
        for (var i = 0; i < _ranges.Count - 1;)
        {
            if (_ranges[i].Last + 1 >= _ranges[i + 1].First)
            {
                _ranges[i] = new SequenceRange(_ranges[i].First, Math.Max(_ranges[i].Last, _ranges[i + 1].Last));
                _ranges.RemoveAt(i + 1);
            }
            else
            {
                i++;
            }
        }

        while (_ranges.Count > 0 && _ranges[0].First <= Floor)
        {
            Floor = Math.Max(Floor, _ranges[0].Last + 1);
            _ranges.RemoveAt(0);
        }
    }

    private int FindRangeAtOrBefore(long sequence)
    {
        int low = 0, high = _ranges.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (_ranges[mid].First <= sequence)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
