using ActorMessaging.Storage.Postgres;
using ActorMessaging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ActorMessaging.Storage.Tests;

[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresClusteringTests(PostgresFixture fixture)
{
    private const int Active = 3;
    private const int Dead = 6;

    [PostgresFact]
    public async Task TwoSilosAndClient_FormOneClusterThroughPostgres()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await PostgresSchema.ApplyAsync(connectionString);
        // Far from UTC on purpose: membership times must still round-trip as UTC.
        await SetDatabaseTimeZoneAsync(connectionString, "Pacific/Chatham");
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];

        var silo1 = PostgresTestHosts.BuildSilo(connectionString, clusterId);
        var silo2 = PostgresTestHosts.BuildSilo(connectionString, clusterId);
        var client = PostgresTestHosts.BuildClient(connectionString, clusterId);
        var silo2Running = true;
        try
        {
            await silo1.StartAsync();
            await silo2.StartAsync();
            await PostgresTestHosts.WaitUntilAsync(
                async () => await CountAsync(connectionString, clusterId, Active) == 2,
                TimeSpan.FromSeconds(30),
                "both silos are Active in OrleansMembershipTable");

            var table = await silo1.Services.GetRequiredService<IMembershipTable>().ReadAllAsync();
            Assert.Equal(2, table.Members.Count);
            Assert.All(table.Members, m => Assert.InRange(m.Item1.IAmAliveTime, DateTime.UtcNow.AddMinutes(-2), DateTime.UtcNow.AddMinutes(1)));

            await client.StartAsync();
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var reply = await grains.GetGrain<IPostgresPingGrain>("ping").PingAsync("hello");
            Assert.StartsWith("hello from ", reply, StringComparison.Ordinal);

            // A gracefully stopped silo declares itself Dead through UpdateMembershipKey.
            silo2Running = false;
            await PostgresTestHosts.StopAsync(silo2);
            Assert.Equal(1L, await CountAsync(connectionString, clusterId, Dead));
            Assert.Equal(1L, await CountAsync(connectionString, clusterId, Active));
        }
        finally
        {
            await PostgresTestHosts.StopAsync(client);
            if (silo2Running)
            {
                await PostgresTestHosts.StopAsync(silo2);
            }

            await PostgresTestHosts.StopAsync(silo1);
        }
    }

    [PostgresFact]
    public async Task CleanupDefunctSiloEntries_DeletesOnlyDeadRowsOlderThanTheCutoff()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await PostgresSchema.ApplyAsync(connectionString);
        var clusterId = "cleanup-" + Guid.NewGuid().ToString("N")[..8];
        var silo = PostgresTestHosts.BuildSilo(connectionString, clusterId);
        await silo.StartAsync();
        try
        {
            await InsertDeadSiloAsync(connectionString, clusterId, "10.0.0.1", TimeSpan.FromDays(2));
            await InsertDeadSiloAsync(connectionString, clusterId, "10.0.0.2", TimeSpan.FromMinutes(1));

            await silo.Services.GetRequiredService<IMembershipTable>().CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddHours(-1));

            Assert.Equal(0L, await PostgresTestHosts.ScalarAsync<long>(connectionString,
                "SELECT count(*) FROM OrleansMembershipTable WHERE Address = '10.0.0.1'"));
            Assert.Equal(1L, await PostgresTestHosts.ScalarAsync<long>(connectionString,
                "SELECT count(*) FROM OrleansMembershipTable WHERE Address = '10.0.0.2'"));
            Assert.Equal(1L, await CountAsync(connectionString, clusterId, Active));
        }
        finally
        {
            await PostgresTestHosts.StopAsync(silo);
        }
    }

    private static Task<int> InsertDeadSiloAsync(string connectionString, string clusterId, string address, TimeSpan age) =>
        PostgresTestHosts.ScalarAsync<int>(
            connectionString,
            """
            WITH i AS (
                INSERT INTO OrleansMembershipTable
                    (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
                VALUES (@id, @address, 11111, 1, 'gone', 'gone', 6, 0, now() - @age, now() - @age)
                RETURNING 1)
            SELECT count(*)::int FROM i
            """,
            ("id", clusterId),
            ("address", address),
            ("age", age));

    private static async Task SetDatabaseTimeZoneAsync(string connectionString, string timeZone)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"ALTER DATABASE \"{database}\" SET TimeZone = '{timeZone}'", connection);
        await command.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }

    private static Task<long> CountAsync(string connectionString, string clusterId, int status) =>
        PostgresTestHosts.ScalarAsync<long>(
            connectionString,
            "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @id AND Status = @status",
            ("id", clusterId),
            ("status", status));
}
