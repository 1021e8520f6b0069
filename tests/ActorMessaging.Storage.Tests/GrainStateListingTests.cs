using System.Diagnostics.CodeAnalysis;
using ActorMessaging.Storage.Memory;
using Orleans.Runtime;

namespace ActorMessaging.Storage.Tests;

/// <summary>Listing stored states on SQLite and through the in-memory index (<see cref="ListedGrainStorage"/>).</summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit 2 disposes test classes through IAsyncLifetime.")]
public sealed class GrainStateListingTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Sqlite_ListsKeysByPrefix_InOrdinalOrder_InPages_WithoutClearedRecords()
    {
        var storage = _database.CreateStorage();
        await GrainStateListingContract.RunAsync(storage, storage, "topic", GrainType.Create("topic"));
        Assert.Empty(await storage.ListKeysAsync(GrainType.Create("other"), "topic", string.Empty, null, 100));
    }

    [Fact]
    public async Task IndexedInMemory_ListsKeysByPrefix_InOrdinalOrder_InPages_WithoutClearedRecords()
    {
        var listed = new ListedGrainStorage(_database.CreateStorage());
        await GrainStateListingContract.RunAsync(listed, listed, "topic", GrainType.Create("topic"));
        Assert.Empty(await listed.ListKeysAsync(GrainType.Create("other"), "topic", string.Empty, null, 100));
    }
}
