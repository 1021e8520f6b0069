using ActorMessaging.Configuration;
using ActorMessaging.Hosting;
using Microsoft.Extensions.Configuration;
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
    /// <param name="settings">The cluster to join.</param>
    /// <param name="configuration">
    /// More settings in environment-variable form, as a standalone gateway would get them.
    /// </param>
    public static async Task<SiloClient> ConnectAsync(SiloSettings settings, IReadOnlyDictionary<string, string>? configuration = null)
    {
        var host = new HostBuilder()
            .ConfigureHostConfiguration(c => c.AddInMemoryCollection(
                (configuration ?? new Dictionary<string, string>()).Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value))))
            .UseOrleansClient(client =>
            {
                // As a standalone gateway does by default: learn soon which silos were declared dead.
                client.Configure<Orleans.Configuration.GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
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
                    client.UseLocalhostClustering(settings.ClientPort, settings.ServiceId, settings.ClusterId);
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
