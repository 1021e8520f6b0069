using ActorMessaging.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace ActorMessaging.Operations.Tests;

[Collection(PostgresFixture.CollectionName)]
public sealed class MigrateCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Migrate_WithoutPostgres_FailsNamingTheKeys()
    {
        using var output = new StringWriter();

        var exit = await MigrateCommand.RunAsync(Configuration(new() { ["ActorMessaging:Storage:Provider"] = "Sqlite" }), output);

        Assert.Equal(MigrateCommand.ConfigurationError, exit);
        Assert.Contains("ActorMessaging:Storage:Provider must be Postgres", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_IsRecognisedOnlyAsTheFirstArgument()
    {
        Assert.True(MigrateCommand.IsRequested(["migrate"]));
        Assert.True(MigrateCommand.IsRequested(["MIGRATE", "--urls", "x"]));
        Assert.False(MigrateCommand.IsRequested(["--urls", "migrate"]));
        Assert.False(MigrateCommand.IsRequested([]));
    }

    [PostgresFact]
    public async Task Migrate_AppliesTheSchema_AndIsIdempotent()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var configuration = Configuration(new() { ["ActorMessaging:Storage:Provider"] = "Postgres", ["ActorMessaging:Storage:ConnectionString"] = connectionString });
        using var output = new StringWriter();

        Assert.Equal(0, await MigrateCommand.RunAsync(configuration, output));
        Assert.Equal(0, await MigrateCommand.RunAsync(configuration, output));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! > 0);
        Assert.Contains("schema is up to date", output.ToString(), StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}

[CollectionDefinition(PostgresFixture.CollectionName)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
