using ActorMessaging.Grains.Directory;
using ActorMessaging.Grains.Topics;
using ActorMessaging.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace ActorMessaging.Grains.Tests.Directory;

/// <summary>
/// A SQLite store written by an earlier version (16 directory shards, deleted topics' records kept) upgraded to the
/// catalog on first listing: listed exactly what exists, the shards cleared.
/// </summary>
public sealed class TopicCatalogUpgradeTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "am-upgrade-tests", Guid.NewGuid().ToString("N"));
    private InProcessTestCluster _cluster = null!;

    private IGrainStorage Storage => _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.State);

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_folder);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseActorMessagingSqlite($"Data Source={Path.Combine(_folder, "broker.db")}");
            silo.AddActorMessagingGrains();
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task FirstListing_ListsTheTopicsThatExist_DropsDeletedTopicsRecords_AndClearsTheShards()
    {
        // As an earlier version left them: two listed topics, one deleted (its record kept, marked so), one created by a
        // create that crashed before its shard was written (a record, but no shard entry).
        await WriteTopicAsync("up-listed-1", exists: true);
        await WriteTopicAsync("up-listed-2", exists: true);
        await WriteTopicAsync("up-deleted", exists: false);
        await WriteTopicAsync("up-unlisted", exists: true);
        await WriteShardAsync(3, ["up-listed-1"]);
        await WriteShardAsync(11, ["up-listed-2"]);

        var page = await _cluster.Client.ListTopicsAsync("up-", 100, null);

        Assert.Equal(["up-listed-1", "up-listed-2", "up-unlisted"], page.Names);
        Assert.False((await ReadAsync<TopicState>(TopicRecords.StateName, GrainId.Create(TopicRecords.GrainType, "up-deleted"))).RecordExists);
        Assert.False((await ReadAsync<LegacyDirectoryShard>(LegacyDirectoryShard.StateName, LegacyDirectoryShard.IdOf(3))).RecordExists);
        Assert.False((await ReadAsync<LegacyDirectoryShard>(LegacyDirectoryShard.StateName, LegacyDirectoryShard.IdOf(11))).RecordExists);

        var listed = _cluster.Client.GetGrain<ITopicGrain>("up-listed-1");
        await listed.PublishAsync([TestMessages.Text("after the upgrade")]);
        Assert.Equal(["after the upgrade"], (await listed.ReadAllAsync()).Select(TestMessages.TextOf));
        Assert.True((await _cluster.Client.GetGrain<ITopicGrain>("up-deleted").CreateAsync(new TopicSettings())).Created);
    }

    private Task WriteTopicAsync(string name, bool exists) =>
        Storage.WriteStateAsync(TopicRecords.StateName, GrainId.Create(TopicRecords.GrainType, name),
            new GrainState<TopicState>(new TopicState { Exists = exists, Settings = new TopicSettings(), Generation = exists ? 0 : 1 }));

    private Task WriteShardAsync(int shard, List<string> topics) =>
        Storage.WriteStateAsync(LegacyDirectoryShard.StateName, LegacyDirectoryShard.IdOf(shard), new GrainState<LegacyDirectoryShard>(new LegacyDirectoryShard { Topics = topics }));

    private async Task<GrainState<T>> ReadAsync<T>(string stateName, GrainId id)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await Storage.ReadStateAsync(stateName, id, state);
        return state;
    }
}
