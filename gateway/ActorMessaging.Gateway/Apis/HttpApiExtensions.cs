using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Apis;

/// <summary>The HTTP API under <c>/v1</c>.</summary>
internal static class HttpApiExtensions
{
    public static IHostApplicationBuilder AddGatewayHttpApi(this IHostApplicationBuilder builder) => builder;

    public static WebApplication MapGatewayHttpApi(this WebApplication app) => app;
}
