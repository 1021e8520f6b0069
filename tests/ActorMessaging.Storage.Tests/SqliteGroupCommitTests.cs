using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Xunit.Abstractions;

namespace ActorMessaging.Storage.Tests;

[SuppressMessage("Design", "CA1001", Justification = "xunit 2 disposes test classes through IAsyncLifetime.")]
public sealed class SqliteGroupCommitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    private static GrainState<SqliteTestState> NewState(int number) =>
        new(new SqliteTestState { Text = $"chunk {number}", Number = number, Data = new byte[300] });

    [Fact]
    public async Task ThousandConcurrentWrites_AllLandAndAreReadable_InFarFewerTransactions()
    {
        const int Writes = 1000;
        var storage = _database.CreateStorage();
        var store = await storage.GetStoreAsync();
        var transactionsBefore = store.CommittedTransactions;
        var grains = Enumerable.Range(0, Writes).Select(i => GrainId.Create("am-chunk", $"orders/{i % 8}/{i}")).ToArray();

        var states = new GrainState<SqliteTestState>[Writes];
        await Task.WhenAll(Enumerable.Range(0, Writes).Select(i => Task.Run(async () =>
        {
            states[i] = NewState(i);
            await storage.WriteStateAsync("chunk", grains[i], states[i]);
        })));

        var transactions = store.CommittedTransactions - transactionsBefore;
        output.WriteLine($"{Writes} concurrent writes committed in {transactions} transactions.");
        Assert.True(transactions <= Writes / 10, $"{Writes} writes took {transactions} transactions; expected group commit to batch them.");
        Assert.Equal(Writes, states.Select(s => s.ETag).Distinct().Count());
        for (var i = 0; i < Writes; i++)
        {
            var read = new GrainState<SqliteTestState>();
            await storage.ReadStateAsync("chunk", grains[i], read);
            Assert.True(read.RecordExists);
            Assert.Equal(i, read.State!.Number);
            Assert.Equal(states[i].ETag, read.ETag);
        }
    }

    [Fact]
    public async Task ConflictingWrite_InTheSameBatchAsGoodWrites_FailsAlone()
    {
        var storage = _database.CreateStorage();
        var store = await storage.GetStoreAsync();
        var contested = GrainId.Create("am-topic", "contested");
        await storage.WriteStateAsync("s", contested, NewState(0));

        // Hold SQLite's write lock from another connection so the writer stalls on its first batch while the
        // operations under test queue up behind it; they are then committed together in the next batch.
        await using var blocker = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        blocker.Open();
        var blockingTransaction = blocker.BeginTransaction(deferred: false);
        var transactionsBefore = store.CommittedTransactions;

        var plug = storage.WriteStateAsync("s", GrainId.Create("am-topic", "plug"), NewState(1));
        await SqliteTestWait.UntilAsync(() => store.PendingOperations == 0, "the writer took the first operation");

        var good = Enumerable.Range(0, 5).Select(i => storage.WriteStateAsync("s", GrainId.Create("am-topic", $"good-{i}"), NewState(i))).ToArray();
        var conflicting = storage.WriteStateAsync("s", contested, NewState(99));
        await SqliteTestWait.UntilAsync(() => store.PendingOperations == good.Length + 1, "the batch under test is queued");

        blockingTransaction.Rollback();
        await plug;
        await Task.WhenAll(good);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);

        Assert.Equal(2, store.CommittedTransactions - transactionsBefore);
        for (var i = 0; i < good.Length; i++)
        {
            var read = new GrainState<SqliteTestState>();
            await storage.ReadStateAsync("s", GrainId.Create("am-topic", $"good-{i}"), read);
            Assert.True(read.RecordExists);
        }

        var contestedRead = new GrainState<SqliteTestState>();
        await storage.ReadStateAsync("s", contested, contestedRead);
        Assert.Equal(0, contestedRead.State!.Number);
    }

    [Fact]
    public async Task OperationThatSqliteRejects_InABatch_FailsAlone_AfterItsNeighboursAreRetriedOneByOne()
    {
        var storage = _database.CreateStorage();
        var store = await storage.GetStoreAsync();

        // A trigger stands in for any per-operation SQLite error other than an ETag conflict.
        await using var blocker = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        blocker.Open();
        using (var trigger = blocker.CreateCommand())
        {
            trigger.CommandText = "CREATE TRIGGER poison BEFORE INSERT ON grain_state WHEN NEW.grain_key = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned'); END;";
            trigger.ExecuteNonQuery();
        }

        var blockingTransaction = blocker.BeginTransaction(deferred: false);
        var plug = storage.WriteStateAsync("s", GrainId.Create("am-topic", "plug"), NewState(1));
        await SqliteTestWait.UntilAsync(() => store.PendingOperations == 0, "the writer took the first operation");
        var good = Enumerable.Range(0, 3).Select(i => storage.WriteStateAsync("s", GrainId.Create("am-topic", $"good-{i}"), NewState(i))).ToArray();
        var poisoned = storage.WriteStateAsync("s", GrainId.Create("am-topic", "poison"), NewState(666));
        await SqliteTestWait.UntilAsync(() => store.PendingOperations == good.Length + 1, "the batch under test is queued");

        blockingTransaction.Rollback();
        await plug;
        await Task.WhenAll(good);
        var error = await Assert.ThrowsAsync<SqliteException>(() => poisoned);

        Assert.Contains("poisoned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamedStorages_OnTheSameFile_ShareOneStore_EvenWhenThePathIsSpelledDifferently()
    {
        var storages = _database.CreateStorages(["am-state", "am-log"]);
        var otherSpelling = Path.Combine(Path.GetDirectoryName(_database.FilePath)!, ".", "..", "data", Path.GetFileName(_database.FilePath));
        var third = _database.CreateStorage("am-third", options => options.ConnectionString = $"Data Source={otherSpelling}");

        var state = await storages[0].GetStoreAsync();
        var log = await storages[1].GetStoreAsync();

        Assert.Same(state, log);
        Assert.Same(state, await third.GetStoreAsync());
    }

    [Fact]
    public async Task Close_CommitsWritesAlreadyQueued()
    {
        var storage = _database.CreateStorage();
        await storage.GetStoreAsync();
        var grains = Enumerable.Range(0, 200).Select(i => GrainId.Create("am-chunk", $"drain/{i}")).ToArray();

        var writes = grains.Select((grain, i) => storage.WriteStateAsync("chunk", grain, NewState(i))).ToArray();
        await _database.CloseStoragesAsync();
        await Task.WhenAll(writes);

        var reopened = _database.CreateStorage();
        foreach (var grain in grains)
        {
            var read = new GrainState<SqliteTestState>();
            await reopened.ReadStateAsync("chunk", grain, read);
            Assert.True(read.RecordExists);
        }
    }
}
