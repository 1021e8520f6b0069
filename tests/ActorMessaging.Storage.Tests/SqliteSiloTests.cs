using System.Net;
using System.Net.Sockets;
using ActorMessaging.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace ActorMessaging.Storage.Tests;

public sealed class SqliteSiloTests
{
    [Fact]
    public async Task Silo_OpensTheDatabase_AtStartup_BeforeAnyGrainUsesIt()
    {
        await using var database = new SqliteTestDatabase();

        using var silo = await StartSiloAsync(database.ConnectionString);

        Assert.True(File.Exists(database.FilePath));
        await silo.StopAsync();
    }

    [Fact]
    public async Task Silo_WithAnInMemoryConnectionString_FailsAtStartup_NamingStorageAndKey()
    {
        var error = await Assert.ThrowsAnyAsync<OrleansConfigurationException>(() => StartSiloAsync("Data Source=:memory:"));

        Assert.Contains("'am'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersistentState_OnSqliteStorage_SurvivesASiloRestart()
    {
        await using var database = new SqliteTestDatabase();

        using (var silo = await StartSiloAsync(database.ConnectionString))
        {
            var counter = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("restart");
            await counter.AddAsync(5);
            await counter.AddAsync(2);
            await silo.StopAsync();
        }

        using (var silo = await StartSiloAsync(database.ConnectionString))
        {
            var counter = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("restart");
            Assert.Equal(7, await counter.GetAsync());
            await silo.StopAsync();
        }
    }

    private static async Task<IHost> StartSiloAsync(string connectionString)
    {
        var host = new HostBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort())
                .AddSqliteGrainStorage("am", options => options.ConnectionString = connectionString))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Alias("am.tests.sqlite-counter")]
    public interface ICounterGrain : IGrainWithStringKey
    {
        [Alias("add")]
        Task AddAsync(int amount);

        [Alias("get")]
        Task<int> GetAsync();
    }

    [GenerateSerializer, Alias("am.tests.sqlite-counter-state")]
    public sealed class CounterState
    {
        [Id(0)]
        public int Value { get; set; }
    }

    public sealed class CounterGrain([PersistentState("s", "am")] IPersistentState<CounterState> state) : Grain, ICounterGrain
    {
        public async Task AddAsync(int amount)
        {
            state.State.Value += amount;
            await state.WriteStateAsync();
        }

        public Task<int> GetAsync() => Task.FromResult(state.State.Value);
    }
}
