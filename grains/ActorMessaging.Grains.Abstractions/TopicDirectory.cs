using System.Text;

namespace ActorMessaging;

/// <summary>Lists topics across the directory shards, merging their pages.</summary>
public static class TopicDirectory
{
    public const int ShardCount = 16;
    public const int MaxPageSize = 1000;

    /// <summary>The shard that holds <paramref name="topic"/>: a hash that never changes between versions or processes.</summary>
    public static int ShardOf(string topic)
    {
        // FNV-1a over UTF-16 code units: string.GetHashCode is randomized per process.
        var hash = 2166136261u;
        foreach (var c in topic)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % ShardCount);
    }

    public static ITopicDirectoryGrain Shard(this IGrainFactory grains, string topic) =>
        grains.GetGrain<ITopicDirectoryGrain>(ShardOf(topic));

    /// <summary>One page of topic names starting with <paramref name="prefix"/>; pass the returned token for the next page.</summary>
    public static async Task<TopicPage> ListTopicsAsync(this IGrainFactory grains, string? prefix, int pageSize, string? pageToken)
    {
        if (pageSize < 1 || pageSize > MaxPageSize)
        {
            throw new ActorMessagingException(ErrorCode.InvalidArgument, $"pageSize must be between 1 and {MaxPageSize}, was {pageSize}.");
        }

        // The token is the last name of the previous page; names are the cursor, so pages stay stable under inserts.
        var after = string.IsNullOrEmpty(pageToken) ? null : DecodeToken(pageToken);
        var shards = await Task.WhenAll(Enumerable.Range(0, ShardCount)
            .Select(shard => grains.GetGrain<ITopicDirectoryGrain>(shard).ListAsync(prefix ?? string.Empty, after, pageSize + 1)));
        var merged = shards.SelectMany(names => names).Order(StringComparer.Ordinal).Take(pageSize + 1).ToList();
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
            throw new ActorMessagingException(ErrorCode.InvalidArgument, "pageToken is not a token returned by a previous page.");
        }
    }
}
