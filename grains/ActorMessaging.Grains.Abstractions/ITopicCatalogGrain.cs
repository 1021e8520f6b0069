namespace ActorMessaging;

/// <summary>
/// Lists topics from the store: a topic exists while its record does, so the listing is a range scan of the
/// store's key index, and creating or deleting a topic writes that one record. Any silo answers (a stateless worker).
/// </summary>
[Alias("am.topic-catalog")]
public interface ITopicCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>Names that start with <paramref name="prefix"/> and sort after <paramref name="after"/>, in ordinal order.</summary>
    [Alias("list"), Orleans.Concurrency.ReadOnly]
    Task<IReadOnlyList<string>> ListAsync(string prefix, string? after, int maxItems);

    /// <summary>Reads one key from the store, for health checks: it answers even while an upgrade holds listing back.</summary>
    [Alias("probe"), Orleans.Concurrency.ReadOnly]
    Task ProbeStoreAsync();
}
