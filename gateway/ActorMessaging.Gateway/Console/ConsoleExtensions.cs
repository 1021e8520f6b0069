using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Console;

/// <summary>The web console at <c>/</c>: static pages that use the public HTTP API and hub.</summary>
internal static class ConsoleExtensions
{
    public static IHostApplicationBuilder AddGatewayConsole(this IHostApplicationBuilder builder) => builder;

    public static WebApplication MapGatewayConsole(this WebApplication app) => app;
}
