namespace ActorMessaging.Gateway.Hubs;

/// <summary>One subscription a connection holds on this gateway: a durable one's consumer, or a live subscriber.</summary>
internal interface IHubSubscription
{
    /// <summary>Unique on this gateway: the consumer id of a durable consumer, the name of a live subscription.</summary>
    string Id { get; }

    string ConnectionId { get; }

    string Topic { get; }

    string Subscription { get; }
}
