using Orleans.Concurrency;

namespace ActorMessaging.Grains.Directory;

/// <summary>
/// Answers listing from the store, in whichever silo the caller is: the store is the only copy of the list, so any
/// number of these may run. The first call of each waits for the catalog upgrade (<see cref="TopicCatalogUpgradeGrain"/>).
/// </summary>
[StatelessWorker]
internal sealed class TopicCatalogGrain(ITopicListing listing) : Grain, ITopicCatalogGrain
{
    private static readonly TimeSpan UpgradeWait = TimeSpan.FromSeconds(5);

    private bool _upgraded;

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, string? after, int maxItems)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!_upgraded)
        {
            _upgraded = await GrainFactory.GetGrain<ITopicCatalogUpgradeGrain>(0).EnsureCompletedAsync(UpgradeWait);
            if (!_upgraded)
            {
                throw new BrokerException(ErrorCode.Unavailable, "Topic listing is being upgraded to this version's catalog; retry shortly.");
            }
        }

        return await ReadAsync(prefix, after, maxItems);
    }

    public Task ProbeStoreAsync() => ReadAsync(string.Empty, null, 1);

    private async Task<IReadOnlyList<string>> ReadAsync(string prefix, string? after, int maxItems)
    {
        try
        {
            return await listing.ListAsync(prefix, after, maxItems);
        }
        catch (Exception exception) when (exception is not BrokerException)
        {
            throw new BrokerException(ErrorCode.StorageUnavailable, "Topics could not be listed; retry.", exception);
        }
    }
}
