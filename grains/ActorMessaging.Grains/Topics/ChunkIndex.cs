namespace ActorMessaging.Grains.Topics;

/// <summary>
/// Summaries of the chunks a topic knows, sorted by chunk number (and so by sequence). It is sparse
/// for old chunks: those are found by binary search over chunk numbers, learning summaries as it reads.
/// </summary>
internal sealed class ChunkIndex(int capacity = 65_536)
{
    private readonly List<ChunkSummary> _chunks = [];

    public int Count => _chunks.Count;

    public void Add(ChunkSummary summary)
    {
        if (_chunks.Count == 0 || _chunks[^1].ChunkNumber < summary.ChunkNumber)
        {
            _chunks.Add(summary);
        }
        else
        {
            var index = _chunks.BinarySearch(summary, ByChunkNumber.Instance);
            if (index >= 0)
            {
                return;
            }

            _chunks.Insert(~index, summary);
        }

        // Old summaries are only an optimisation; dropping them costs a few more reads for old positions.
        // A quarter goes at once: dropping one per added chunk moved the whole list on every write of a busy topic.
        if (_chunks.Count > capacity)
        {
            _chunks.RemoveRange(0, _chunks.Count - capacity + (capacity / 4));
        }
    }

    /// <summary>
    /// The chunk that holds <paramref name="sequence"/> if known; otherwise narrows the chunk-number range
    /// [<paramref name="low"/>, <paramref name="high"/>] in which it must lie.
    /// </summary>
    public ChunkSummary? Find(long sequence, ref long low, ref long high)
    {
        int lo = 0, hi = _chunks.Count - 1, before = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (_chunks[mid].FirstSequence <= sequence)
            {
                before = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        if (before >= 0)
        {
            if (_chunks[before].LastSequence >= sequence)
            {
                return _chunks[before];
            }

            low = Math.Max(low, _chunks[before].ChunkNumber + 1);
        }

        if (before + 1 < _chunks.Count)
        {
            high = Math.Min(high, _chunks[before + 1].ChunkNumber - 1);
        }

        return null;
    }

    public void RemoveBelow(long chunkNumber) => _chunks.RemoveAll(c => c.ChunkNumber < chunkNumber);

    public void Clear() => _chunks.Clear();

    private sealed class ByChunkNumber : IComparer<ChunkSummary>
    {
        public static readonly ByChunkNumber Instance = new();

        public int Compare(ChunkSummary x, ChunkSummary y) => x.ChunkNumber.CompareTo(y.ChunkNumber);
    }
}
