namespace ActorMessaging.Storage;

/// <summary>The bounds of a prefix listing in ordinal key order, as the SQL stores compare keys (bytes of UTF-8).</summary>
internal readonly record struct KeyRange(string Start, bool StartInclusive, string? End)
{
    /// <summary>Keys starting with <paramref name="prefix"/> that sort after <paramref name="after"/>.</summary>
    public static KeyRange For(string prefix, string? after)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var (start, inclusive) = after is not null && string.CompareOrdinal(after, prefix) >= 0 ? (after, false) : (prefix, true);
        return new KeyRange(start, inclusive, EndOf(prefix));
    }

    /// <summary>The least string greater than every string that starts with <paramref name="prefix"/>; null when unbounded.</summary>
    /// <remarks>
    /// Ordinal UTF-16 order and the stores' UTF-8 byte order agree for the keys listed here (ASCII entity names),
    /// so one bound serves both.
    /// </remarks>
    private static string? EndOf(string prefix)
    {
        var end = prefix.AsSpan();
        while (end.Length > 0 && end[^1] == char.MaxValue)
        {
            end = end[..^1];
        }

        return end.Length == 0 ? null : string.Concat(end[..^1], [(char)(end[^1] + 1)]);
    }
}
