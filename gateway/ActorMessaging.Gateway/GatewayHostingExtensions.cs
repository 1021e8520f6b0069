using ActorMessaging.Gateway.Apis;
using ActorMessaging.Gateway.Console;
using ActorMessaging.Gateway.Errors;
using ActorMessaging.Gateway.Health;
using ActorMessaging.Gateway.Hubs;
using ActorMessaging.Gateway.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
        // Each area registers its own services; this is the one place that lists them all.
        builder.AddGatewaySecurity();
        builder.AddGatewayHttpApi();
        builder.AddGatewayHub();
        builder.AddGatewayConsole();
        builder.AddGatewayTelemetry();
        builder.Services.AddStorageExceptionSerialization();
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster");
        return builder;
    }

    public static WebApplication MapActorMessagingGateway(this WebApplication app)
    {
        app.UseShutdownRefusal();
        app.UseGatewaySecurity();
        app.MapGatewayHttpApi();
        app.MapGatewayHub();
        app.MapGatewayConsole();
        app.MapHealthChecks("/health");
        return app;
    }
}
