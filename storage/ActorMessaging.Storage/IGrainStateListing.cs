using Orleans.Runtime;

namespace ActorMessaging.Storage;

/// <summary>
/// Lists which grains of one type have a stored record of one state, by key prefix and in ordinal key order. For
/// grains whose existence is that record (a topic exists while its state record does), this is the listing of
/// those entities: creating or deleting one writes one row, and the listing is a range scan of the store's index.
/// </summary>
public interface IGrainStateListing
{
    /// <summary>
    /// Up to <paramref name="maxItems"/> keys that start with <paramref name="prefix"/> and sort after
    /// <paramref name="after"/> (ordinal; null for the first page), in ordinal order.
    /// </summary>
    Task<IReadOnlyList<string>> ListKeysAsync(GrainType grainType, string stateName, string prefix, string? after, int maxItems, CancellationToken cancellationToken = default);
}
