using ActorMessaging.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// An Orleans client of one silo lifetime. After a crash a new one is connected to the restarted silo,
/// so nothing learned about the dead process (gateways, pending calls) carries over.
/// </summary>
internal sealed class SiloClient : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly IHost _host;

    private SiloClient(IHost host) => _host = host;

    public IClusterClient Cluster => _host.Services.GetRequiredService<IClusterClient>();

    public ITopicGrain Topic(string name) => Cluster.GetGrain<ITopicGrain>(name);

    public ISubscriptionGrain Subscription(string topic, string name) => Cluster.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, name));

    /// <summary>Connects through the silo's gateway: the fixed loopback port for SQLite, the membership table for PostgreSQL.</summary>
    public static async Task<SiloClient> ConnectAsync(SiloSettings settings)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                if (settings.Provider == StorageProvider.Postgres)
                {
                    client.Configure<Orleans.Configuration.ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (settings.ClusterId, settings.ServiceId));
                    client.UseAdoNetClustering(o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = settings.ConnectionString;
                    });
                }
                else
                {
                    client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
                }
            })
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new SiloClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
