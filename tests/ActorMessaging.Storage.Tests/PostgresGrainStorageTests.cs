using ActorMessaging.Storage.Postgres;
using ActorMessaging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresGrainStorageTests(PostgresFixture postgres, PostgresStorageSiloFixture shared)
    : IClassFixture<PostgresStorageSiloFixture>
{
    private const string StateName = "chunk";
    private const int PayloadSize = 20 * 1024;

    [PostgresFact]
    public async Task WriteNewKeyWithNullEtag_ThenRead_ReturnsPayloadAndEtag()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        var written = NewChunk();

        await storage.WriteStateAsync(StateName, grainId, written);
        Assert.False(string.IsNullOrEmpty(written.ETag));
        Assert.True(written.RecordExists);

        var read = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(Payload(written), Payload(read));
    }

    [PostgresFact]
    public async Task Write_StoresOrleansBinaryPayload_NotJson()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        await storage.WriteStateAsync(StateName, grainId, NewChunk());

        var stored = await PostgresTestHosts.ScalarAsync<byte[]>(shared.ConnectionString,
            "SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = @key AND GrainTypeString = @state",
            ("key", grainId.Key.ToString()!), ("state", StateName));
        Assert.InRange(stored.Length, PayloadSize, PayloadSize + 256);
        Assert.NotEqual((byte)'{', stored[0]);
    }

    [PostgresFact]
    public async Task WriteWithReturnedEtag_Succeeds_AndAdvancesEtag()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        var state = NewChunk();
        await storage.WriteStateAsync(StateName, grainId, state);
        var firstEtag = state.ETag;

        state.State = new PostgresChunkState { Payload = NewPayload() };
        await storage.WriteStateAsync(StateName, grainId, state);

        Assert.NotEqual(firstEtag, state.ETag);
        var read = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(Payload(state), Payload(read));
    }

    [PostgresFact]
    public async Task WriteWithStaleEtag_ThrowsInconsistentState()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        var state = NewChunk();
        await storage.WriteStateAsync(StateName, grainId, state);
        var stale = new GrainState<PostgresChunkState>(new PostgresChunkState { Payload = NewPayload() }, state.ETag);
        await storage.WriteStateAsync(StateName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, stale));
    }

    [PostgresFact]
    public async Task WriteNewRecordWithNonNullEtag_ThrowsInconsistentState()
    {
        var storage = await GetStorageAsync();
        var state = new GrainState<PostgresChunkState>(new PostgresChunkState { Payload = NewPayload() }, "1");

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, NewChunkId(), state));
    }

    [PostgresFact]
    public async Task WriteExistingKeyWithNullEtag_ThrowsInconsistentState()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        await storage.WriteStateAsync(StateName, grainId, NewChunk());

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grainId, NewChunk()));
    }

    [PostgresFact]
    public async Task ConcurrentFirstWritesOfOneKey_ExactlyOneWins()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await storage.WriteStateAsync(StateName, grainId, NewChunk());
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }

    [PostgresFact]
    public async Task ClearThenRead_RecordDoesNotExist_AndWriteWithClearEtagSucceeds()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        var state = NewChunk();
        await storage.WriteStateAsync(StateName, grainId, state);

        await storage.ClearStateAsync(StateName, grainId, state);
        Assert.False(state.RecordExists);

        var read = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Empty(Payload(read));

        // The cleared row keeps its version: the next write presents it.
        read.State = new PostgresChunkState { Payload = NewPayload() };
        await storage.WriteStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
    }

    [PostgresFact]
    public async Task ClearWithStaleEtag_ThrowsInconsistentState()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        var state = NewChunk();
        await storage.WriteStateAsync(StateName, grainId, state);
        var stale = new GrainState<PostgresChunkState>(state.State, state.ETag) { RecordExists = true };
        await storage.WriteStateAsync(StateName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grainId, stale));
    }

    [PostgresFact]
    public async Task ClearWithDeleteStateOnClear_RemovesRow_AndNextWriteInserts()
    {
        var silo = await shared.GetSiloAsync(postgres);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(PostgresTestHosts.DeletingStorageName);
        var grainId = NewChunkId();
        var state = NewChunk();
        await storage.WriteStateAsync(StateName, grainId, state);

        await storage.ClearStateAsync(StateName, grainId, state);

        Assert.Equal(0L, await CountRowsAsync(grainId));
        Assert.Null(state.ETag);
        var again = NewChunk();
        await storage.WriteStateAsync(StateName, grainId, again);
        Assert.Equal(1L, await CountRowsAsync(grainId));
    }

    [PostgresFact]
    public async Task SameKeyUnderDifferentStateNames_AreSeparateRecords()
    {
        var storage = await GetStorageAsync();
        var grainId = NewChunkId();
        var first = NewChunk();
        await storage.WriteStateAsync("first", grainId, first);

        var second = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync("second", grainId, second);

        Assert.False(second.RecordExists);
    }

    [PostgresFact]
    public async Task DifferentGrainTypesWithSameKeyAndStateName_ShareOneRecord()
    {
        // Pins a provider quirk (dotnet/orleans#8746, #9737): ADO.NET storage keys rows by state name and
        // grain key only, not by grain type. Grains of different types need distinct state names.
        var storage = await GetStorageAsync();
        var key = $"orders/0/{Guid.NewGuid():N}";
        await storage.WriteStateAsync(StateName, GrainId.Create("am-chunk", key), NewChunk());

        var other = new GrainState<PostgresChunkState>();
        await storage.ReadStateAsync(StateName, GrainId.Create("am-other", key), other);

        Assert.True(other.RecordExists);
    }

    [PostgresFact]
    public async Task GrainWithPersistentState_KeepsStateAcrossSiloRestart()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await PostgresSchema.ApplyAsync(connectionString);
        var clusterId = "restart-" + Guid.NewGuid().ToString("N")[..8];

        var first = PostgresTestHosts.BuildSilo(connectionString, clusterId);
        await first.StartAsync();
        try
        {
            var counter = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IPostgresCounterGrain>("orders");
            await counter.IncrementAsync();
            await counter.IncrementAsync();
            Assert.Equal(3, await counter.IncrementAsync());
        }
        finally
        {
            await PostgresTestHosts.StopAsync(first);
        }

        var second = PostgresTestHosts.BuildSilo(connectionString, clusterId);
        await second.StartAsync();
        try
        {
            var counter = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IPostgresCounterGrain>("orders");
            Assert.Equal(3, await counter.GetAsync());
            Assert.Equal(4, await counter.IncrementAsync());
        }
        finally
        {
            await PostgresTestHosts.StopAsync(second);
        }
    }

    private async Task<IGrainStorage> GetStorageAsync()
    {
        var silo = await shared.GetSiloAsync(postgres);
        return silo.Services.GetRequiredKeyedService<IGrainStorage>(PostgresTestHosts.StorageName);
    }

    private Task<long> CountRowsAsync(GrainId grainId) =>
        PostgresTestHosts.ScalarAsync<long>(shared.ConnectionString,
            "SELECT count(*) FROM OrleansStorage WHERE GrainIdExtensionString = @key",
            ("key", grainId.Key.ToString()!));

    private static byte[] Payload(GrainState<PostgresChunkState> state)
    {
        Assert.NotNull(state.State);
        return state.State.Payload;
    }

    // A synthetic id: no grain class "am-chunk" exists; storage only sees the id and the state name.
    private static GrainId NewChunkId() => GrainId.Create("am-chunk", $"orders/0/{Guid.NewGuid():N}");

    private static GrainState<PostgresChunkState> NewChunk() => new(new PostgresChunkState { Payload = NewPayload() });

    private static byte[] NewPayload()
    {
        var payload = new byte[PayloadSize];
        Random.Shared.NextBytes(payload);
        return payload;
    }
}
