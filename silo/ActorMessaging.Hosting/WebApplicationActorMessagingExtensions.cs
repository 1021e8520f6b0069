using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace ActorMessaging.Hosting;

/// <summary>Turns an ASP.NET Core host into an ActorMessaging silo with its dashboard and health endpoint.</summary>
public static class WebApplicationActorMessagingExtensions
{
    public static IHostApplicationBuilder AddActorMessagingSilo(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.UseOrleans(silo => silo.UseActorMessaging(builder.Configuration, contentRoot).AddDashboard());
        builder.Services.AddHostedService<StartupReport>();
        builder.Services.AddHealthChecks().AddCheck<ActorMessagingHealthCheck>("silo");
        return builder;
    }

    public static IEndpointRouteBuilder MapActorMessagingSilo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health");
        endpoints.MapOrleansDashboard(routePrefix: "/dashboard");
        return endpoints;
    }
}
