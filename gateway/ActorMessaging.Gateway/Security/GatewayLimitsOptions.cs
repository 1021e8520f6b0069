using ActorMessaging.Gateway.Hubs;

namespace ActorMessaging.Gateway.Security;

/// <summary>Per-caller limits and CORS origins of the gateway (<c>ActorMessaging:Gateway</c>); checked at start-up.</summary>
public sealed class GatewayLimitsOptions
{
    public const string SectionName = "ActorMessaging:Gateway";

    /// <summary>Browser origins (<c>https://app.example.com</c>) allowed to call the HTTP API and the hub; the hub also allows credentials. Default: none.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Hub connections one caller may hold open on this gateway process. Default 100.</summary>
    public int MaxConnectionsPerClient { get; set; } = 100;

    /// <summary>
    /// Largest hub message a client may send, in bytes (SignalR's <c>MaximumReceiveMessageSize</c>). Default 4 MiB:
    /// one message of the 1 MiB maximum as base64 with its JSON around it. HTTP body limits are separate.
    /// </summary>
    public long MaxHubMessageSize { get; set; } = HubExtensions.MaxReceiveMessageSize;

    /// <summary>Requests per caller.</summary>
    public GatewayRateLimitOptions RateLimit { get; set; } = new();
}
