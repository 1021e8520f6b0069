namespace ActorMessaging.Grains.Topics;

/// <summary>
/// Message ids seen within the topic's duplicate-detection window, with the sequence they got. Entries
/// age out in arrival order, so expiry is a queue walk, not a scan.
/// </summary>
internal sealed class DedupIndex
{
    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long Sequence, DateTimeOffset At)> _arrivals = new();

    public int Count => _sequences.Count;

    public bool TryGet(string messageId, out long sequence) => _sequences.TryGetValue(messageId, out sequence);

    public void Add(string messageId, long sequence, DateTimeOffset at)
    {
        _sequences[messageId] = sequence;
        _arrivals.Enqueue((messageId, sequence, at));
    }

    public void Remove(string messageId) => _sequences.Remove(messageId);

    public void Expire(DateTimeOffset olderThan)
    {
        while (_arrivals.TryPeek(out var oldest) && oldest.At < olderThan)
        {
            _arrivals.Dequeue();

            // The same id may have been re-added later (after an earlier expiry); only drop the entry this arrival made.
            if (_sequences.TryGetValue(oldest.Id, out var sequence) && sequence == oldest.Sequence)
            {
                _sequences.Remove(oldest.Id);
            }
        }
    }

    public void Clear()
    {
        _sequences.Clear();
        _arrivals.Clear();
    }
}
