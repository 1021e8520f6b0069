using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway;

/// <summary>
/// Adds the gateway (HTTP API and hub) to a host that already has Orleans: the silo itself when
/// co-hosted, or an Orleans client in a standalone gateway process.
/// </summary>
public static class GatewayHostingExtensions
{
    public static IHostApplicationBuilder AddActorMessagingGateway(this IHostApplicationBuilder builder)
    {
        // Each area registers its own services; keep this list the only place that knows them all.
        return builder;
    }

    public static WebApplication MapActorMessagingGateway(this WebApplication app)
    {
        return app;
    }
}
