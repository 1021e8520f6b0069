using ActorMessaging.Storage.Postgres;
using ActorMessaging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

/// <summary>
/// <see cref="PostgresGrainStorage"/>: every string key keeps its own row (Orleans' ADO.NET provider stores hexadecimal
/// keys as numbers, so "beef" and "BEEF" shared one), records stored that way before are adopted, and listing works.
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresGrainKeysTests(PostgresFixture postgres, PostgresStorageSiloFixture shared)
    : IClassFixture<PostgresStorageSiloFixture>
{
    private static readonly GrainType TopicType = GrainType.Create("topic");

    [PostgresFact]
    public async Task HexadecimalKeys_ThatTheProviderWouldStoreAsOneNumber_AreSeparateRecords()
    {
        var (adoNet, storage) = await GetStoragesAsync();
        var state = NewStateName();
        string[] names = ["beef", "BEEF", "0beef"];

        // The provider alone: the second and third writes find the first one's row (a conflict, not a new record).
        await adoNet.WriteStateAsync(state + "-raw", GrainId.Create(TopicType, "beef"), Payload(1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => adoNet.WriteStateAsync(state + "-raw", GrainId.Create(TopicType, "BEEF"), Payload(2)));

        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            await storage.WriteStateAsync(state, GrainId.Create(TopicType, name), Payload((byte)i));
        }

        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var read = new GrainState<PostgresChunkState>();
            await storage.ReadStateAsync(state, GrainId.Create(TopicType, name), read);
            Assert.True(read.RecordExists);
            Assert.Equal([(byte)i], read.State!.Payload);
        }
    }

    [PostgresFact]
    public async Task RecordStoredUnderTheNumber_ByAnEarlierVersion_IsAdopted_AndThenWrittenAndClearedAsItsOwn()
    {
        var (adoNet, storage) = await GetStoragesAsync();
        var state = NewStateName();
        var id = GrainId.Create(TopicType, "cafe");
        await adoNet.WriteStateAsync(state, id, Payload(7));

        var read = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync(state, id, read);
        Assert.True(read.RecordExists);
        Assert.Equal([(byte)7], read.State!.Payload);

        read.State = new PostgresChunkState { Payload = [8] };
        await storage.WriteStateAsync(state, id, read);
        var again = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync(state, id, again);
        Assert.Equal([(byte)8], again.State!.Payload);
        Assert.Equal(["cafe"], await storage.ListKeysAsync(TopicType, state, string.Empty, null, 10));

        await storage.ClearStateAsync(state, id, again);
        Assert.Empty(await storage.ListKeysAsync(TopicType, state, string.Empty, null, 10));
    }

    [PostgresFact]
    public async Task ListsKeysByPrefix_InOrdinalOrder_InPages_WithoutClearedRecords()
    {
        var (_, storage) = await GetStoragesAsync();
        await GrainStateListingContract.RunAsync(storage, storage, NewStateName(), TopicType);
    }

    private static string NewStateName() => "list-" + Guid.NewGuid().ToString("N")[..8];

    private static GrainState<PostgresChunkState> Payload(byte value) => new(new PostgresChunkState { Payload = [value] });

    private async Task<(IGrainStorage AdoNet, PostgresGrainStorage Storage)> GetStoragesAsync()
    {
        var silo = await shared.GetSiloAsync(postgres);
        var adoNet = silo.Services.GetRequiredKeyedService<IGrainStorage>(PostgresTestHosts.StorageName);
        return (adoNet, new PostgresGrainStorage(adoNet, shared.ConnectionString, PostgresTestHosts.ServiceId));
    }
}
