using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace ActorMessaging.Configuration;

/// <summary>Makes a process an Orleans client of the ActorMessaging cluster: what a standalone gateway is.</summary>
public static class ClusterClientHostingExtensions
{
    /// <summary>
    /// Reads <c>ActorMessaging:Storage</c> and <c>ActorMessaging:Cluster</c> as a silo does (throwing at once, naming the
    /// key, when a setting is invalid) and adds an Orleans client that finds the silos through the PostgreSQL membership
    /// table, or at the local silo's <see cref="ActorMessagingClusterOptions.ClientPort"/> on SQLite and memory.
    /// </summary>
    public static IHostApplicationBuilder UseActorMessagingClusterClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = ActorMessagingSettings.Read(builder.Configuration);
        var (storage, cluster) = (settings.Storage, settings.Cluster);
        builder.Services.AddActorMessagingSettings(settings);
        builder.UseOrleansClient(client =>
        {
            client.AddActivityPropagation();
            client.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
            // Failover bounds: see docs/operations.md ("Failure detection").
            client.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.GatewayResponseTimeout);
            client.Services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.GatewayListRefreshPeriod);
            if (storage.Provider == StorageProvider.Postgres)
            {
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ActorMessagingStorageOptions.PostgresInvariant, storage.ConnectionString));
            }
            else
            {
                client.UseLocalhostClustering(cluster.ClientPort, cluster.ServiceId, cluster.ClusterId);
            }
        });
        return builder;
    }
}
