using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace ActorMessaging.Hosting;

/// <summary>Turns an ASP.NET Core host into an ActorMessaging silo with its dashboard (health comes with the gateway).</summary>
public static class WebApplicationActorMessagingExtensions
{
    public static IHostApplicationBuilder AddActorMessagingSilo(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.UseOrleans(silo => silo.UseActorMessaging(builder.Configuration, contentRoot).AddDashboard().AddActivityPropagation());
        builder.Services.AddHostedService<StartupReport>();
        return builder;
    }

    public static IEndpointRouteBuilder MapActorMessagingSilo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOrleansDashboard(routePrefix: "/dashboard");
        return endpoints;
    }
}
