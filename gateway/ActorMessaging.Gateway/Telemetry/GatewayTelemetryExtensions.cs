using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Telemetry;

/// <summary>The gateway's own instruments; spans and the rest of the meter are in <c>ActorMessaging.Telemetry</c>.</summary>
internal static class GatewayTelemetryExtensions
{
    public static IHostApplicationBuilder AddGatewayTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConnectionTelemetryFilter>();
        builder.Services.Configure<HubOptions>(options => options.AddFilter<ConnectionTelemetryFilter>());
        return builder;
    }
}
