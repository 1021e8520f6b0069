using ActorMessaging.Configuration;
using ActorMessaging.Hosting;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// SIGKILLs a real silo while consumers ack an exactly-once subscription over HTTP, restarts it on the same store and
/// checks that no confirmed ack is followed by a redelivery (the scenario: <see cref="ExactlyOnceCrashScenario"/>).
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class ExactlyOnceCrashTests(PostgresFixture postgres, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("am-e2e-eo-").FullName;

    [Fact(Timeout = 180_000)]
    public Task Sqlite_SigkillWhileAcking_NeverRedeliversAConfirmedAck_AndDeliversEveryMessage() =>
        new ExactlyOnceCrashScenario(SiloSettings.Create(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "broker.db")}"), output).RunAsync();

    [PostgresFact(Timeout = 180_000)]
    public async Task Postgres_SigkillWhileAcking_NeverRedeliversAConfirmedAck_AndDeliversEveryMessage()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await new ExactlyOnceCrashScenario(SiloSettings.Create(StorageProvider.Postgres, connectionString), output).RunAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
