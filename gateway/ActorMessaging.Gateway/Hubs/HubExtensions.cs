using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>The SignalR hub at <c>/hubs/messaging</c> and the delivery path from subscription grains to connections.</summary>
internal static class HubExtensions
{
    public static IHostApplicationBuilder AddGatewayHub(this IHostApplicationBuilder builder) => builder;

    public static WebApplication MapGatewayHub(this WebApplication app) => app;
}
