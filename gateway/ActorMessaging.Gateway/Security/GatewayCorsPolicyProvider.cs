using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// CORS for browser apps on <see cref="GatewayLimitsOptions.AllowedOrigins"/>: the HTTP API (any header, no
/// credentials: it takes API keys and bearer tokens in headers) and the hub (credentials allowed, as the SignalR
/// JavaScript client sends them). No policy, so no CORS headers, for other origins, other paths, or when no origin is configured.
/// </summary>
internal sealed class GatewayCorsPolicyProvider : ICorsPolicyProvider
{
    private static readonly string[] ExposedHeaders = [HeaderNames.Location, HeaderNames.RetryAfter, HeaderNames.WWWAuthenticate];

    private readonly CorsPolicy? _api;
    private readonly CorsPolicy? _hub;

    public GatewayCorsPolicyProvider(IOptions<GatewayLimitsOptions> options)
    {
        var origins = options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')).ToArray();
        if (origins.Length == 0)
        {
            return;
        }

        _api = new CorsPolicyBuilder()
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Put, HttpMethods.Post, HttpMethods.Delete)
            .AllowAnyHeader()
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
        _hub = new CorsPolicyBuilder()
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            .AllowAnyHeader()
            .AllowCredentials()
            .WithExposedHeaders(ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
    }

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var request = context.Request;
        var policy = GatewayAuthSchemes.IsHubRequest(request) ? _hub
            : request.Path.StartsWithSegments(GatewayAccessRules.ApiPrefix, StringComparison.OrdinalIgnoreCase) ? _api
            : null;
        return Task.FromResult(policy);
    }
}
