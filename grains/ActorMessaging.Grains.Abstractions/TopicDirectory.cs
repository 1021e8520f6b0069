using System.Text;

namespace ActorMessaging;

/// <summary>Lists topics in pages, by prefix, from the topic catalog (<see cref="ITopicCatalogGrain"/>).</summary>
public static class TopicDirectory
{
    public const int MaxPageSize = 1000;

    /// <summary>One page of topic names starting with <paramref name="prefix"/>; pass the returned token for the next page.</summary>
    public static Task<TopicPage> ListTopicsAsync(this IGrainFactory grains, string? prefix, int pageSize, string? pageToken) =>
        grains.ListTopicsAsync([prefix ?? string.Empty], static _ => true, pageSize, pageToken);

    /// <summary>
    /// One page of the topic names that start with one of <paramref name="prefixes"/> and that <paramref name="visible"/>
    /// accepts, in order. Only those ranges are read, so a page is full whatever else exists, and its token (the last
    /// name of the page) is always a name the caller may see.
    /// </summary>
    public static async Task<TopicPage> ListTopicsAsync(this IGrainFactory grains, IReadOnlyCollection<string> prefixes, Func<string, bool> visible, int pageSize, string? pageToken)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(visible);
        if (pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"pageSize must be between 1 and {MaxPageSize}, was {pageSize}.");
        }

        // The token is the last name of the previous page; names are the cursor, so pages stay stable under inserts.
        var after = string.IsNullOrEmpty(pageToken) ? null : DecodeToken(pageToken);
        var catalog = grains.GetGrain<ITopicCatalogGrain>(0);
        var ranges = await Task.WhenAll(prefixes.Select(prefix => catalog.ListAsync(prefix, after, pageSize + 1)));
        var merged = ranges.SelectMany(names => names).Where(visible).Distinct().Order(StringComparer.Ordinal).Take(pageSize + 1).ToList();
        var hasMore = merged.Count > pageSize;
        var page = merged.Take(pageSize).ToList();
        return new TopicPage(page, hasMore ? EncodeToken(page[^1]) : null);
    }

    private static string EncodeToken(string lastName) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastName)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodeToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, "pageToken is not a token returned by a previous page.");
        }
    }
}
