using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ActorMessaging.Grains.Directory;

/// <summary>
/// Moves a store written by an earlier version to the catalog, once, in the background. Earlier versions kept a topic's
/// record after a delete (marked deleted), and listed topics from 16 directory shards. Now the record's presence is the
/// topic's existence, so the upgrade (1) activates every topic whose record exists, and a topic whose record says
/// deleted clears it (<see cref="Topics.TopicGrain"/> does that on activation); (2) activates every topic the shards
/// name, which also moves records of names the PostgreSQL provider had stored under a number; (3) clears the shards.
/// Step 1 runs while any shard is left, so a rerun after a crash repeats what may be unfinished. A store that never
/// had shards (a new one) completes at once.
/// </summary>
internal sealed partial class TopicCatalogUpgradeGrain(
    [PersistentState("topic-catalog-upgrade", StorageNames.State)] IPersistentState<TopicCatalogUpgradeState> state,
    ITopicListing listing,
    ILogger<TopicCatalogUpgradeGrain> logger) : Grain, ITopicCatalogUpgradeGrain
{
    private const int PageSize = 1000;
    private const int Parallelism = 16;

    private Task? _run;

    public async Task<bool> EnsureCompletedAsync(TimeSpan wait)
    {
        if (state.State.Completed)
        {
            return true;
        }

        _run ??= RunAsync();
        await Task.WhenAny(_run, Task.Delay(wait));
        if (_run.IsFaulted)
        {
            LogUpgradeFailed(_run.Exception!.GetBaseException());
            _run = null;
        }

        return state.State.Completed;
    }

    private async Task RunAsync()
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);
        var shards = new List<(GrainId Id, GrainState<LegacyDirectoryShard> Record)>();
        for (var shard = 0; shard < LegacyDirectoryShard.Count; shard++)
        {
            var record = new GrainState<LegacyDirectoryShard>(new LegacyDirectoryShard());
            await storage.ReadStateAsync(LegacyDirectoryShard.StateName, LegacyDirectoryShard.IdOf(shard), record);
            if (record.RecordExists)
            {
                shards.Add((LegacyDirectoryShard.IdOf(shard), record));
            }
        }

        if (shards.Count > 0)
        {
            var records = 0;
            string? after = null;
            while (await listing.ListAsync(string.Empty, after, PageSize) is { Count: > 0 } page)
            {
                await TouchAsync(page);
                records += page.Count;
                after = page[^1];
            }

            var named = 0;
            foreach (var (id, record) in shards)
            {
                var topics = record.State?.Topics ?? [];
                await TouchAsync(topics);
                named += topics.Count;
                await storage.ClearStateAsync(LegacyDirectoryShard.StateName, id, record);
            }

            LogUpgraded(records, named, shards.Count);
        }

        state.State.Completed = true;
        await state.WriteStateAsync();
    }

    private Task TouchAsync(IEnumerable<string> topics) =>
        Parallel.ForEachAsync(topics, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, TaskScheduler = TaskScheduler.Current },
            async (topic, _) =>
            {
                try
                {
                    await GrainFactory.GetGrain<ITopicGrain>(topic).GetAsync();
                }
                catch (BrokerException exception) when (exception.Code == ErrorCode.TopicNotFound)
                {
                    // A deleted topic whose record this activation just cleared.
                }
            });

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic catalog upgraded: {Records} topic records checked, {Named} names from {Shards} directory shards activated, shards cleared")]
    private partial void LogUpgraded(int records, int named, int shards);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic catalog upgrade failed; the next listing retries it")]
    private partial void LogUpgradeFailed(Exception exception);
}
