namespace ActorMessaging.Gateway.Hubs;

/// <summary>Options of a hub <c>Subscribe</c>; null or omitted properties take their defaults.</summary>
internal sealed record HubSubscribeOptions
{
    public const int DefaultMaxInFlight = 100;

    /// <summary>Unacked deliveries this connection holds at most for the subscription. Default 100; 1 to 10000.</summary>
    public int? MaxInFlight { get; init; }
}
