namespace ActorMessaging.Gateway.Hubs;

/// <summary>Options of a hub <c>Subscribe</c>; null or omitted properties take their defaults.</summary>
internal sealed record HubSubscribeOptions
{
    public const int DefaultMaxInFlight = 100;

    /// <summary>Unacked deliveries this connection holds at most for the subscription. Default 100; 1 to 10000.</summary>
    public int? MaxInFlight { get; init; }

    /// <summary>
    /// Live subscriptions only: a filter in the language of subscription filters (e.g. <c>color = 'red'</c>); messages it
    /// does not match are never sent to the connection. Default none. A durable subscription's filter is one of its
    /// settings, so giving one here for a durable subscription is an error.
    /// </summary>
    public string? Filter { get; init; }
}
