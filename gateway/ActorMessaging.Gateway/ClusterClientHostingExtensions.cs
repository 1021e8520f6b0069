using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace ActorMessaging.Gateway;

/// <summary>Makes a standalone gateway an Orleans client of the silo cluster.</summary>
public static class ClusterClientHostingExtensions
{
    public static IHostApplicationBuilder UseActorMessagingClusterClient(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = new GatewayClusterOptions();
        configuration.GetSection("ActorMessaging:Storage").Bind(options);
        configuration.GetSection("ActorMessaging:Cluster").Bind(options);
        Validate(options);

        builder.UseOrleansClient(client =>
        {
            client.AddActivityPropagation();
            client.Services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (options.ClusterId, options.ServiceId));
            // Failover bounds: see docs/operations.md ("Failure detection").
            client.Services.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = options.GatewayResponseTimeout);
            client.Services.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = options.GatewayListRefreshPeriod);
            if (string.Equals(options.Provider, "Postgres", StringComparison.OrdinalIgnoreCase))
            {
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", options.ConnectionString));
            }
            else
            {
                client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
            }
        });
        return builder;
    }

    private static void Validate(GatewayClusterOptions options)
    {
        var errors = new List<string>();
        if (string.Equals(options.Provider, "Postgres", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("ActorMessaging:Storage:ConnectionString is required when ActorMessaging:Storage:Provider is Postgres.");
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            errors.Add($"ActorMessaging:Cluster:GatewayPort must be between 1 and 65535, was {options.GatewayPort}.");
        }

        if (options.GatewayResponseTimeout <= TimeSpan.Zero)
        {
            errors.Add($"ActorMessaging:Cluster:GatewayResponseTimeout must be positive, was {options.GatewayResponseTimeout}.");
        }

        if (options.GatewayListRefreshPeriod <= TimeSpan.Zero)
        {
            errors.Add($"ActorMessaging:Cluster:GatewayListRefreshPeriod must be positive, was {options.GatewayListRefreshPeriod}.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException("ActorMessaging:Cluster", typeof(GatewayClusterOptions), errors);
        }
    }
}
