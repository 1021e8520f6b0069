using System.Diagnostics.CodeAnalysis;
using ActorMessaging.Storage.Sqlite;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

[SuppressMessage("Design", "CA1001", Justification = "xunit 2 disposes test classes through IAsyncLifetime.")]
public sealed class SqliteGrainStorageTests : IAsyncLifetime
{
    private const string StateName = "s";
    private readonly SqliteTestDatabase _database = new();
    private readonly GrainId _grain = GrainId.Create("am-topic", "orders");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static GrainState<SqliteTestState> NewState(string text = "hello", int number = 1) =>
        new(new SqliteTestState { Text = text, Number = number, Data = [1, 2, 3] });

    private static async Task<GrainState<SqliteTestState>> ReadAsync(SqliteGrainStorage storage, GrainId grain, string stateName = StateName)
    {
        var state = new GrainState<SqliteTestState>(new SqliteTestState { Text = "stale" }) { ETag = "stale", RecordExists = true };
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    [Fact]
    public async Task Read_OfMissingRecord_GivesNewState_NullETag_AndRecordExistsFalse()
    {
        var storage = _database.CreateStorage();

        var read = await ReadAsync(storage, _grain);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal("", read.State!.Text);
        Assert.Equal(0, read.State!.Number);
    }

    [Fact]
    public async Task Write_ThenRead_RoundTripsState_AndETag()
    {
        var storage = _database.CreateStorage();
        var written = NewState("round trip", 42);

        await storage.WriteStateAsync(StateName, _grain, written);
        var read = await ReadAsync(storage, _grain);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("round trip", read.State!.Text);
        Assert.Equal(42, read.State!.Number);
        Assert.Equal([1, 2, 3], read.State!.Data);
    }

    [Fact]
    public async Task Write_WithNullETag_OnMissingRecord_Inserts_AndSetsETagAndRecordExists()
    {
        var storage = _database.CreateStorage();
        var state = NewState();

        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.True(state.RecordExists);
        Assert.False(string.IsNullOrEmpty(state.ETag));
    }

    [Fact]
    public async Task Write_WithNullETag_OnExistingRecord_ThrowsInconsistentState_AndKeepsRecord()
    {
        var storage = _database.CreateStorage();
        await storage.WriteStateAsync(StateName, _grain, NewState("first"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, NewState("second")));

        Assert.Equal("first", (await ReadAsync(storage, _grain)).State!.Text);
    }

    [Fact]
    public async Task Write_WithStaleETag_ThrowsInconsistentState_NamingStoredAndExpectedETags()
    {
        var storage = _database.CreateStorage();
        var first = NewState("first");
        await storage.WriteStateAsync(StateName, _grain, first);
        var staleETag = first.ETag;
        first.State!.Text = "second";
        await storage.WriteStateAsync(StateName, _grain, first);

        var stale = NewState("stale");
        stale.ETag = staleETag;
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, stale));

        Assert.Equal(staleETag, conflict.CurrentEtag);
        Assert.Equal(first.ETag, conflict.StoredEtag);
        Assert.Equal("second", (await ReadAsync(storage, _grain)).State!.Text);
    }

    [Fact]
    public async Task Write_WithCurrentETag_Updates_AndIssuesANewETag()
    {
        var storage = _database.CreateStorage();
        var state = NewState("v1");
        await storage.WriteStateAsync(StateName, _grain, state);
        var firstETag = state.ETag;

        state.State!.Text = "v2";
        await storage.WriteStateAsync(StateName, _grain, state);

        Assert.NotEqual(firstETag, state.ETag);
        var read = await ReadAsync(storage, _grain);
        Assert.Equal("v2", read.State!.Text);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_WithETagThisStoreNeverIssued_ThrowsInconsistentState()
    {
        var storage = _database.CreateStorage();
        var state = NewState();
        state.ETag = "W/\"not-a-version\"";

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, state));
    }

    [Fact]
    public async Task Clear_WithCurrentETag_DeletesRecord_AndResetsETagStateAndRecordExists()
    {
        var storage = _database.CreateStorage();
        var state = NewState("doomed", 7);
        await storage.WriteStateAsync(StateName, _grain, state);

        await storage.ClearStateAsync(StateName, _grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State!.Number);
        var read = await ReadAsync(storage, _grain);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task Clear_WithStaleETag_ThrowsInconsistentState_AndKeepsRecord()
    {
        var storage = _database.CreateStorage();
        var state = NewState("v1");
        await storage.WriteStateAsync(StateName, _grain, state);
        var staleETag = state.ETag;
        await storage.WriteStateAsync(StateName, _grain, state);

        var stale = NewState();
        stale.ETag = staleETag;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, _grain, stale));

        Assert.True((await ReadAsync(storage, _grain)).RecordExists);
    }

    [Fact]
    public async Task Clear_WithNullETag_OfMissingRecord_Succeeds()
    {
        var storage = _database.CreateStorage();
        var state = NewState();

        await storage.ClearStateAsync(StateName, _grain, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task Clear_WithNullETag_OfExistingRecord_ThrowsInconsistentState()
    {
        var storage = _database.CreateStorage();
        await storage.WriteStateAsync(StateName, _grain, NewState());

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, _grain, NewState()));

        Assert.True((await ReadAsync(storage, _grain)).RecordExists);
    }

    [Fact]
    public async Task Write_AfterClearAndRecreate_WithETagFromBeforeTheClear_ThrowsInconsistentState()
    {
        // ETags are never reused, so an old activation cannot overwrite a record re-created after a clear.
        var storage = _database.CreateStorage();
        var old = NewState("old");
        await storage.WriteStateAsync(StateName, _grain, old);
        var oldETag = old.ETag;
        await storage.ClearStateAsync(StateName, _grain, old);
        var recreated = NewState("recreated");
        await storage.WriteStateAsync(StateName, _grain, recreated);

        var stale = NewState("stale");
        stale.ETag = oldETag;
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, _grain, stale));

        Assert.NotEqual(oldETag, recreated.ETag);
        Assert.Equal("recreated", (await ReadAsync(storage, _grain)).State!.Text);
    }

    [Fact]
    public async Task SyntheticGrainIds_AreKeptApartByTypeKeyAndStateName()
    {
        var storage = _database.CreateStorage();
        var chunk42 = GrainId.Create("am-chunk", "orders/0/42");
        var chunk43 = GrainId.Create("am-chunk", "orders/0/43");
        var otherType = GrainId.Create("am-other", "orders/0/42");

        await storage.WriteStateAsync("chunk", chunk42, NewState("42"));
        await storage.WriteStateAsync("chunk", chunk43, NewState("43"));
        await storage.WriteStateAsync("chunk", otherType, NewState("other type"));
        await storage.WriteStateAsync("index", chunk42, NewState("other state name"));

        Assert.Equal("42", (await ReadAsync(storage, chunk42, "chunk")).State!.Text);
        Assert.Equal("43", (await ReadAsync(storage, chunk43, "chunk")).State!.Text);
        Assert.Equal("other type", (await ReadAsync(storage, otherType, "chunk")).State!.Text);
        Assert.Equal("other state name", (await ReadAsync(storage, chunk42, "index")).State!.Text);
        Assert.False((await ReadAsync(storage, GrainId.Create("am-chunk", "orders/0/44"), "chunk")).RecordExists);
    }

    [Fact]
    public async Task Open_CreatesTheMissingDataFolder()
    {
        var storage = _database.CreateStorage();

        await storage.GetStoreAsync();

        Assert.True(File.Exists(_database.FilePath));
    }
}
