using System.Reflection;
using ActorMessaging.Storage.Postgres;
using ActorMessaging.Testing;
using Npgsql;
using Orleans.Runtime.MembershipService;

namespace ActorMessaging.Storage.Tests;

[Collection(PostgresFixture.CollectionName)]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    private static readonly string[] PersistenceQueryKeys = ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    [PostgresFact]
    public async Task ApplyTwice_Succeeds_AndLeavesOneRowPerQueryKey()
    {
        var connectionString = await fixture.CreateDatabaseAsync();

        await PostgresSchema.ApplyAsync(connectionString);
        var first = await ReadQueriesAsync(connectionString);
        await PostgresSchema.ApplyAsync(connectionString);
        // Re-running the scripts themselves (not just the recorded-version check) is idempotent too.
        await PostgresSchema.ApplyAsync(connectionString, force: true, CancellationToken.None);
        await PostgresSchema.ApplyAsync(connectionString, force: true, CancellationToken.None);

        var second = await ReadQueriesAsync(connectionString);
        Assert.Equal(first, second);
        Assert.Equal(ExpectedQueryKeys().Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1L, await PostgresTestHosts.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM pg_proc WHERE proname = 'orleans_write_to_storage'"));
        Assert.Equal((long)PostgresSchema.Scripts.Count, await PostgresTestHosts.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM ActorMessagingSchemaScript"));
    }

    [PostgresFact]
    public async Task ApplyConcurrentlyFromFourTasks_Succeeds()
    {
        var connectionString = await fixture.CreateDatabaseAsync();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSchema.ApplyAsync(connectionString))));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresSchema.ApplyAsync(connectionString, force: true, CancellationToken.None))));

        var queries = await ReadQueriesAsync(connectionString);
        Assert.Equal(ExpectedQueryKeys().Order(StringComparer.Ordinal), queries.Keys.Order(StringComparer.Ordinal));
    }

    [PostgresFact]
    public async Task Schema_HasEveryQueryKeyTheClusteringProviderRequires()
    {
        // The 10.4.2 clustering provider refuses to start unless OrleansQuery has a row for every
        // property of its internal DbStoredQueries; read that list from the provider itself so an
        // upgrade that adds a key fails here rather than at silo start.
        var storedQueries = typeof(AdoNetClusteringTable).Assembly.GetType("Orleans.Clustering.AdoNet.Storage.DbStoredQueries", throwOnError: true)!;
        var required = storedQueries.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(p => p.Name)
            .ToList();
        Assert.Contains("GatewaysQueryKey", required);

        var connectionString = await fixture.CreateDatabaseAsync();
        await PostgresSchema.ApplyAsync(connectionString);
        var queries = await ReadQueriesAsync(connectionString);

        Assert.All(required, key => Assert.Contains(key, queries.Keys));
        Assert.All(PersistenceQueryKeys, key => Assert.Contains(key, queries.Keys));
    }

    [PostgresFact]
    public async Task ApplyAfterQueryTextWasEdited_WithForce_RestoresIt_WithoutForce_LeavesIt()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await PostgresSchema.ApplyAsync(connectionString);
        var original = (await ReadQueriesAsync(connectionString))["GatewaysQueryKey"];
        await PostgresTestHosts.ScalarAsync<int>(connectionString,
            "WITH u AS (UPDATE OrleansQuery SET QueryText = 'SELECT 1' WHERE QueryKey = 'GatewaysQueryKey' RETURNING 1) SELECT count(*)::int FROM u");

        // A start-up apply with unchanged scripts only checks the recorded versions: it takes no locks and rewrites nothing.
        await PostgresSchema.ApplyAsync(connectionString);
        Assert.Equal("SELECT 1", (await ReadQueriesAsync(connectionString))["GatewaysQueryKey"]);

        await PostgresSchema.ApplyAsync(connectionString, force: true, CancellationToken.None);
        Assert.Equal(original, (await ReadQueriesAsync(connectionString))["GatewaysQueryKey"]);
    }

    private static IEnumerable<string> ExpectedQueryKeys() =>
    [
        "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        .. PersistenceQueryKeys,
    ];

    private static async Task<Dictionary<string, string>> ReadQueriesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            queries.Add(reader.GetString(0), reader.GetString(1));
        }

        return queries;
    }
}
