using ActorMessaging.Configuration;
using System.Net;
using System.Net.Sockets;
using ActorMessaging.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace ActorMessaging.Storage.Tests;

/// <summary>Silo and client hosts wired to PostgreSQL the way production wires them, on free loopback ports.</summary>
internal static class PostgresTestHosts
{
    public const string StorageName = "am";
    public const string DeletingStorageName = "am-delete";
    public const string ServiceId = "am-tests";

    public static IHost BuildSilo(string connectionString, string clusterId)
    {
        var (siloPort, gatewayPort) = GetTwoFreeLoopbackPorts();
        return new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = ActorMessagingStorageOptions.PostgresInvariant;
                    o.ConnectionString = connectionString;
                });
                silo.AddAdoNetGrainStorage(StorageName, o =>
                {
                    o.Invariant = ActorMessagingStorageOptions.PostgresInvariant;
                    o.ConnectionString = connectionString;
                });
                silo.AddAdoNetGrainStorage(DeletingStorageName, o =>
                {
                    o.Invariant = ActorMessagingStorageOptions.PostgresInvariant;
                    o.ConnectionString = connectionString;
                    o.DeleteStateOnClear = true;
                });
                // Binary state (Orleans serializer) instead of the default JSON.
                silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            })
            .Build();
    }

    public static IHost BuildClient(string connectionString, string clusterId) =>
        new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = ActorMessagingStorageOptions.PostgresInvariant;
                    o.ConnectionString = connectionString;
                });
            })
            .Build();

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string description)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting until {description}.");
            }

            await poll.WaitForNextTickAsync();
        }
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }

    private static (int First, int Second) GetTwoFreeLoopbackPorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        var ports = (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        first.Stop();
        second.Stop();
        return ports;
    }
}
