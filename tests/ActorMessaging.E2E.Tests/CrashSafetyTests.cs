using ActorMessaging.Configuration;
using ActorMessaging.Hosting;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Kills a real silo process with SIGKILL while it publishes, restarts it on the same store, and checks that
/// acknowledged publishes and saved acks survived (the scenario: <see cref="CrashScenario"/>).
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class CrashSafetyTests(PostgresFixture postgres, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("am-e2e-").FullName;

    [Fact(Timeout = 120_000)]
    public Task Sqlite_SigkillMidPublish_KeepsAcknowledgedPublishesInOrder_AndSubscriptionResumes() =>
        new CrashScenario(SiloSettings.Create(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "broker.db")}"), output).RunAsync();

    [PostgresFact(Timeout = 120_000)]
    public async Task Postgres_SigkillMidPublish_KeepsAcknowledgedPublishesInOrder_AndSubscriptionResumes()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await new CrashScenario(SiloSettings.Create(StorageProvider.Postgres, connectionString), output).RunAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
