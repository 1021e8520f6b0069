namespace ActorMessaging.Grains.Topics;

/// <summary>
/// The most recent chunks in memory, bounded by bytes. Subscriptions that keep up read from here, so
/// the hot path never touches storage after a publish.
/// </summary>
internal sealed class ChunkCache(long maxBytes)
{
    private readonly Dictionary<long, (List<StoredMessage> Messages, long Bytes)> _chunks = [];
    private readonly Queue<long> _order = new();
    private long _bytes;

    public bool TryGet(long chunkNumber, out List<StoredMessage> messages)
    {
        if (_chunks.TryGetValue(chunkNumber, out var entry))
        {
            messages = entry.Messages;
            return true;
        }

        messages = [];
        return false;
    }

    public void Add(long chunkNumber, List<StoredMessage> messages)
    {
        if (_chunks.ContainsKey(chunkNumber))
        {
            return;
        }

        long bytes = 0;
        foreach (var message in messages)
        {
            bytes += message.Size + 64;
        }

        _chunks[chunkNumber] = (messages, bytes);
        _order.Enqueue(chunkNumber);
        _bytes += bytes;
        while (_bytes > maxBytes && _order.Count > 1 && _order.TryDequeue(out var oldest))
        {
            if (_chunks.Remove(oldest, out var evicted))
            {
                _bytes -= evicted.Bytes;
            }
        }
    }

    public void Remove(long chunkNumber)
    {
        // The order queue keeps the number; eviction skips numbers that are no longer cached.
        if (_chunks.Remove(chunkNumber, out var removed))
        {
            _bytes -= removed.Bytes;
        }
    }

    public void Clear()
    {
        _chunks.Clear();
        _order.Clear();
        _bytes = 0;
    }
}
