using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;

namespace ActorMessaging.Gateway.Security;

/// <summary>The authentication schemes and where each looks for its credential.</summary>
internal static class GatewayAuthSchemes
{
    /// <summary>The default scheme: forwards to <see cref="ApiKey"/> or <see cref="Bearer"/> by what the request carries.</summary>
    public const string Gateway = "ActorMessaging";

    public const string ApiKey = "ApiKey";

    public const string Bearer = JwtBearerDefaults.AuthenticationScheme;

    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>API key in the query string, on hub requests only (browsers cannot set WebSocket headers).</summary>
    public const string ApiKeyQuery = "api_key";

    /// <summary>Bearer token in the query string, on hub requests only (what the SignalR JavaScript client sends).</summary>
    public const string AccessTokenQuery = "access_token";

    /// <summary>Requests to hubs (negotiate and connect), the only ones that take credentials in the query string.</summary>
    public const string HubPathPrefix = "/hubs";

    public static bool IsHubRequest(HttpRequest request) => request.Path.StartsWithSegments(HubPathPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The API key the request carries, or null.</summary>
    public static string? PresentedApiKey(HttpRequest request)
    {
        if (request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        return IsHubRequest(request) && request.Query[ApiKeyQuery].ToString() is { Length: > 0 } query ? query : null;
    }
}
