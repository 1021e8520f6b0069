using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ActorMessaging.Gateway.Security;

/// <summary>
/// What each gateway request needs. HTTP API endpoints are listed one by one by method and route; an endpoint under
/// <c>/v1</c> missing from the list needs <c>admin</c>, so a new endpoint is closed until someone decides.
/// Hub requests (negotiate, connect) need an authenticated caller, the methods are checked per call
/// (<see cref="HubAccessFilter"/>); <c>/dashboard</c> needs <c>admin</c>; anything else (health, OpenAPI, the console's
/// static files) is open.
/// </summary>
internal static class GatewayAccessRules
{
    public const string ApiPrefix = "/v1";
    public const string DashboardPrefix = "/dashboard";
    public const string TopicRouteValue = "topic";

    /// <summary>The Prometheus scrape path (ServiceDefaults' MetricsPath; a test keeps the two equal).</summary>
    public const string MetricsPath = "/metrics";

    public static readonly IReadOnlyDictionary<(string Method, string Route), TopicAccess> Api = new Dictionary<(string, string), TopicAccess>
    {
        [("GET", "/v1/topics")] = TopicAccess.AnyTopic,
        [("PUT", "/v1/topics/{topic}")] = TopicAccess.Admin,
        [("GET", "/v1/topics/{topic}")] = TopicAccess.Any,
        [("DELETE", "/v1/topics/{topic}")] = TopicAccess.Admin,
        [("POST", "/v1/topics/{topic}/messages")] = TopicAccess.Publish,
        [("GET", "/v1/topics/{topic}/subscriptions")] = TopicAccess.Subscribe,
        [("PUT", "/v1/topics/{topic}/subscriptions/{subscription}")] = TopicAccess.Admin,
        [("GET", "/v1/topics/{topic}/subscriptions/{subscription}")] = TopicAccess.Subscribe,
        [("DELETE", "/v1/topics/{topic}/subscriptions/{subscription}")] = TopicAccess.Admin,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/pull")] = TopicAccess.Subscribe,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/ack")] = TopicAccess.Subscribe,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/nack")] = TopicAccess.Subscribe,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/deadletter")] = TopicAccess.Subscribe,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/extend")] = TopicAccess.Subscribe,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/seek")] = TopicAccess.Subscribe,
        [("GET", "/v1/topics/{topic}/subscriptions/{subscription}/deadletters")] = TopicAccess.Subscribe,
        [("POST", "/v1/topics/{topic}/subscriptions/{subscription}/deadletters/resubmit")] = TopicAccess.Admin,
        [("DELETE", "/v1/topics/{topic}/subscriptions/{subscription}/deadletters")] = TopicAccess.Admin,
    };

    /// <summary>Hub methods by name; the topic is their first argument. A method missing here needs <c>admin</c>.</summary>
    public static readonly IReadOnlyDictionary<string, TopicAccess> Hub = new Dictionary<string, TopicAccess>(StringComparer.Ordinal)
    {
        ["Publish"] = TopicAccess.Publish,
        ["Subscribe"] = TopicAccess.Subscribe,
        ["Unsubscribe"] = TopicAccess.Subscribe,
        ["Ack"] = TopicAccess.Subscribe,
        ["Nack"] = TopicAccess.Subscribe,
        ["DeadLetter"] = TopicAccess.Subscribe,
        ["Seek"] = TopicAccess.Subscribe,
    };

    /// <summary>What <paramref name="context"/> needs, with the operation's name for messages; null when the path is open.</summary>
    public static (TopicAccess Access, string Operation)? For(HttpContext context)
    {
        var path = context.Request.Path;
        if (GatewayAuthSchemes.IsHubRequest(context.Request))
        {
            return (TopicAccess.Authenticated, "Connecting to the hub");
        }

        if (path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase))
        {
            return (TopicAccess.Metrics, "Scraping metrics");
        }

        if (path.StartsWithSegments(DashboardPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (TopicAccess.Admin, "The dashboard");
        }

        if (!path.StartsWithSegments(ApiPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // No endpoint, or the 405 one: nothing is reached, but strangers still may not probe the API.
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } route })
        {
            return (TopicAccess.Authenticated, context.Request.Method + " " + path);
        }

        var key = (context.Request.Method, "/" + route.Trim('/'));
        return (Api.TryGetValue(key, out var access) ? access : TopicAccess.Admin, key.Item1 + " " + key.Item2);
    }

    /// <summary>The topic a request is about (its <c>{topic}</c> route value), or null.</summary>
    public static string? Topic(HttpContext context) => context.GetRouteValue(TopicRouteValue) as string;

    /// <summary>Why the caller may not do <paramref name="operation"/>, naming the permission and the topic.</summary>
    public static string Denied(string operation, TopicAccess access, string? topic) => access switch
    {
        TopicAccess.AnyTopic => $"{operation} needs at least one permission (admin, publish:<pattern> or subscribe:<pattern>).",
        TopicAccess.Metrics => $"{operation} needs the permission 'metrics' (or 'admin').",
        TopicAccess.Admin when topic is null => $"{operation} needs the permission 'admin'.",
        TopicAccess.Admin => $"{operation} on topic '{topic}' needs the permission 'admin'.",
        _ => $"{operation} on topic '{topic}' needs the permission '{Permission.Needed(access, topic ?? string.Empty)}' (or a pattern that matches it, or 'admin').",
    };
}
