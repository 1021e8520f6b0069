using ActorMessaging.Storage.Postgres;
using ActorMessaging.Testing;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Storage.Tests;

/// <summary>
/// One silo (PostgreSQL clustering and grain storage) shared by the tests of a class. xunit 2 cannot
/// inject the collection's <see cref="PostgresFixture"/> into a class fixture, so the first test
/// starts the silo with it; xunit stops it after the class.
/// </summary>
public sealed class PostgresStorageSiloFixture : IAsyncLifetime
{
    private readonly Lock _lock = new();
    private Task<IHost>? _silo;

    public string ConnectionString { get; private set; } = string.Empty;

    public Task<IHost> GetSiloAsync(PostgresFixture postgres)
    {
        lock (_lock)
        {
            return _silo ??= StartAsync(postgres);
        }
    }

    private async Task<IHost> StartAsync(PostgresFixture postgres)
    {
        ConnectionString = await postgres.CreateDatabaseAsync();
        await PostgresSchema.ApplyAsync(ConnectionString);
        var silo = PostgresTestHosts.BuildSilo(ConnectionString, "storage-" + Guid.NewGuid().ToString("N")[..8]);
        await silo.StartAsync();
        return silo;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_silo is { IsCompletedSuccessfully: true })
        {
            await PostgresTestHosts.StopAsync(await _silo);
        }
    }
}
