using ActorMessaging.Configuration;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// SIGKILLs a real silo process in the middle of work, restarts it on the same store and checks what survived, on
/// SQLite and PostgreSQL: acknowledged publishes and saved acks (<see cref="PublishCrashScenario"/>), and exactly-once
/// acks that were confirmed (<see cref="ExactlyOnceCrashScenario"/>), and the topics listed being exactly those that
/// exist (<see cref="CatalogCrashScenario"/>).
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class CrashTests(PostgresFixture postgres, ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("am-e2e-crash-").FullName;

    [Fact(Timeout = 120_000)]
    public Task Sqlite_SigkillMidPublish_KeepsAcknowledgedPublishesInOrder_AndSubscriptionResumes() =>
        new PublishCrashScenario(Sqlite(), output).RunAsync();

    [PostgresFact(Timeout = 120_000)]
    public async Task Postgres_SigkillMidPublish_KeepsAcknowledgedPublishesInOrder_AndSubscriptionResumes() =>
        await new PublishCrashScenario(await PostgresAsync(), output).RunAsync();

    [Fact(Timeout = 180_000)]
    public Task Sqlite_SigkillWhileAcking_NeverRedeliversAConfirmedAck_AndDeliversEveryMessage() =>
        new ExactlyOnceCrashScenario(Sqlite(), output).RunAsync();

    [PostgresFact(Timeout = 180_000)]
    public async Task Postgres_SigkillWhileAcking_NeverRedeliversAConfirmedAck_AndDeliversEveryMessage() =>
        await new ExactlyOnceCrashScenario(await PostgresAsync(), output).RunAsync();

    [Fact(Timeout = 120_000)]
    public Task Sqlite_SigkillWhileCreatingAndDeletingTopics_ListsExactlyTheTopicsThatExist() =>
        new CatalogCrashScenario(Sqlite(), output).RunAsync();

    [PostgresFact(Timeout = 120_000)]
    public async Task Postgres_SigkillWhileCreatingAndDeletingTopics_ListsExactlyTheTopicsThatExist() =>
        await new CatalogCrashScenario(await PostgresAsync(), output).RunAsync();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private SiloSettings Sqlite() => SiloSettings.Create(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "broker.db")}");

    private async Task<SiloSettings> PostgresAsync() => SiloSettings.Create(StorageProvider.Postgres, await postgres.CreateDatabaseAsync());
}
