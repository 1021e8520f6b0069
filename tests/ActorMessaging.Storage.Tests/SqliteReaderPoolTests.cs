using System.Diagnostics.CodeAnalysis;
using Orleans;
using Orleans.Runtime;

namespace ActorMessaging.Storage.Tests;

/// <summary>
/// Point reads go through prepared connections kept between reads: they must see every committed write, never a stale
/// snapshot, and must not keep the store from closing into one self-contained file.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit 2 disposes test classes through IAsyncLifetime.")]
public sealed class SqliteReaderPoolTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task ConcurrentReadsBetweenWrites_AlwaysSeeTheLatestCommittedWrite()
    {
        var storage = _database.CreateStorage();
        var grains = Enumerable.Range(0, 8).Select(i => GrainId.Create("am-topic", $"pooled-{i}")).ToArray();
        var written = grains.Select(_ => new GrainState<SqliteTestState>(new SqliteTestState())).ToArray();

        // Each round commits a new number per grain, then many concurrent reads (more than the pool keeps idle) must
        // all return it: a reader reused from an earlier round that still held its old snapshot would return the last.
        for (var round = 1; round <= 20; round++)
        {
            for (var i = 0; i < grains.Length; i++)
            {
                written[i].State = new SqliteTestState { Number = round * 100 + i, Text = $"round {round}" };
                await storage.WriteStateAsync("s", grains[i], written[i]);
            }

            var reads = await Task.WhenAll(Enumerable.Range(0, 64).Select(n => Task.Run(async () =>
            {
                var read = new GrainState<SqliteTestState>();
                await storage.ReadStateAsync("s", grains[n % grains.Length], read);
                return (Grain: n % grains.Length, read.State!.Number, read.ETag);
            })));

            foreach (var (grain, number, etag) in reads)
            {
                Assert.Equal(round * 100 + grain, number);
                Assert.Equal(written[grain].ETag, etag);
            }
        }
    }

    [Fact]
    public async Task ClosingTheStore_AfterPooledReads_CheckpointsTheWalIntoTheFile()
    {
        var storage = _database.CreateStorage();
        var grain = GrainId.Create("am-topic", "closing");
        await storage.WriteStateAsync("s", grain, new GrainState<SqliteTestState>(new SqliteTestState { Number = 7 }));
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => storage.ReadStateAsync("s", grain, new GrainState<SqliteTestState>()))));
        Assert.True(File.Exists(_database.FilePath + "-wal"), "the store runs in WAL mode while open");

        await _database.CloseStoragesAsync();

        // A reader left open would keep SQLite from checkpointing and removing the WAL when the writer closes.
        Assert.False(File.Exists(_database.FilePath + "-wal"), "a pooled reader stayed open after the store closed");
        var reopened = _database.CreateStorage();
        var read = new GrainState<SqliteTestState>();
        await reopened.ReadStateAsync("s", grain, read);
        Assert.Equal(7, read.State!.Number);
    }
}
