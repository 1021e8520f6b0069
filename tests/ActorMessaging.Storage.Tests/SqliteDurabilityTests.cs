using System.Diagnostics.CodeAnalysis;
using Orleans;
using Orleans.Runtime;

namespace ActorMessaging.Storage.Tests;

[SuppressMessage("Design", "CA1001", Justification = "xunit 2 disposes test classes through IAsyncLifetime.")]
public sealed class SqliteDurabilityTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private readonly GrainId _grain = GrainId.Create("am-subscription", "orders/billing");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Write_SurvivesRestart_OnAFreshStorageInstance_AndETagsKeepCounting()
    {
        var before = _database.CreateStorage();
        var written = new GrainState<SqliteTestState>(new SqliteTestState { Text = "durable", Number = 3 });
        await before.WriteStateAsync("s", _grain, written);
        await _database.CloseStoragesAsync();

        var after = _database.CreateStorage();
        var read = new GrainState<SqliteTestState>();
        await after.ReadStateAsync("s", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("durable", read.State!.Text);
        Assert.Equal(written.ETag, read.ETag);

        read.State!.Number = 4;
        await after.WriteStateAsync("s", _grain, read);
        Assert.True(long.Parse(read.ETag!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(written.ETag!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Write_IsReadable_FromTheFilesAsLeftOnDisk_WithoutAClose()
    {
        // Simulates a SIGKILL right after the write returned: copy the database and its WAL while the store is
        // still open (no clean close, no checkpoint), drop the shared-memory index, and open the copy.
        var storage = _database.CreateStorage();
        var written = new GrainState<SqliteTestState>(new SqliteTestState { Text = "committed", Number = 9 });
        await storage.WriteStateAsync("s", _grain, written);

        await using var copy = new SqliteTestDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(copy.FilePath)!);
        File.Copy(_database.FilePath, copy.FilePath);
        File.Copy(_database.FilePath + "-wal", copy.FilePath + "-wal");

        var recovered = copy.CreateStorage();
        var read = new GrainState<SqliteTestState>();
        await recovered.ReadStateAsync("s", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal("committed", read.State!.Text);
        Assert.Equal(written.ETag, read.ETag);
    }
}
