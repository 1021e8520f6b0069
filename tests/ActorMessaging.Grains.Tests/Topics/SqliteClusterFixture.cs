using ActorMessaging.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>One silo on a fresh SQLite file (state and log), with a fake broker clock.</summary>
public sealed class SqliteClusterFixture : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "am-retention-tests", Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    private string DatabasePath => Path.Combine(_folder, "actormessaging.db");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_folder);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseActorMessagingSqlite($"Data Source={DatabasePath}");
            silo.Services.AddSingleton(new BrokerClock(Time));
            silo.AddActorMessagingGrains();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    public int CountChunkRows(string topic)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grain_state WHERE grain_type = 'am-chunk' AND grain_key LIKE $prefix";
        command.Parameters.AddWithValue("$prefix", $"{topic}/%");
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
