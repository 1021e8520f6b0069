namespace ActorMessaging;

/// <summary>
/// One shard of the list of topic names (key: shard number). Topics are spread over
/// <see cref="TopicDirectory.ShardCount"/> shards by a stable hash, so no single state holds every name.
/// </summary>
[Alias("am.topic-directory")]
public interface ITopicDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("add")]
    Task AddAsync(string topic);

    [Alias("remove")]
    Task RemoveAsync(string topic);

    /// <summary>Names that start with <paramref name="prefix"/> and sort after <paramref name="after"/>, in ordinal order.</summary>
    [Alias("list"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string prefix, string? after, int maxItems);
}
