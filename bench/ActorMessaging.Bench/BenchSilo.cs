using System.Net;
using System.Net.Sockets;
using ActorMessaging.Grains;
using ActorMessaging.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Storage;

namespace ActorMessaging.Bench;

/// <summary>
/// An in-process silo wired as production wires it (<c>UseActorMessaging{Store}</c> + <c>AddActorMessagingGrains</c>),
/// on free loopback ports, logging at Warning. The log storage is wrapped in a <see cref="ChunkWriteProbe"/>.
/// </summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host, ChunkWriteStats chunkWrites)
    {
        _host = host;
        ChunkWrites = chunkWrites;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public ChunkWriteStats ChunkWrites { get; }

    /// <param name="store">The backend.</param>
    /// <param name="connectionString">SQLite or PostgreSQL connection string; ignored for memory.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<BenchSilo> StartAsync(BenchStore store, string? connectionString, CancellationToken cancellationToken)
    {
        var chunkWrites = new ChunkWriteStats();
        var (siloPort, gatewayPort) = (FreeLoopbackPort(), FreeLoopbackPort());
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                // stdout carries only the report.
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .UseOrleans(silo =>
            {
                switch (store)
                {
                    case BenchStore.Postgres:
                        // Membership lives in PostgreSQL too, exactly as the silo host wires it.
                        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("bench", "bench"));
                        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
                        silo.UseActorMessagingPostgres(connectionString!);
                        break;
                    case BenchStore.Sqlite:
                        silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "bench", clusterId: "bench");
                        silo.UseActorMessagingSqlite(connectionString!);
                        break;
                    default:
                        silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "bench", clusterId: "bench");
                        silo.UseActorMessagingMemoryStorage();
                        break;
                }

                silo.AddActorMessagingGrains();
                WrapLogStorage(silo.Services, chunkWrites);
            })
            .Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new BenchSilo(host, chunkWrites);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }

    // Replaces the keyed registration of the log storage with the same storage behind a timing decorator.
    private static void WrapLogStorage(IServiceCollection services, ChunkWriteStats stats)
    {
        var original = services.LastOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, StorageNames.Log))
            ?? throw new InvalidOperationException($"No grain storage named '{StorageNames.Log}' is registered.");
        var factory = original.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"Grain storage '{StorageNames.Log}' is not registered with a factory; the probe cannot wrap it.");
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Log, (sp, key) => new ChunkWriteProbe((IGrainStorage)factory(sp, key), stats));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
