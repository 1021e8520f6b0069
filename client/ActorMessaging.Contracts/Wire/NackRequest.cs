namespace ActorMessaging.Contracts;

/// <summary>The body of <c>POST .../subscriptions/{subscription}/nack</c>: give the deliveries back for redelivery.</summary>
public sealed record NackRequest
{
    /// <summary>1 to 1000 ack ids from pulled or pushed deliveries.</summary>
    public IReadOnlyList<string> AckIds { get; init; } = [];

    /// <summary>Redeliver after this many seconds (0 to 600); when absent, after the subscription's retry backoff.</summary>
    public double? DelaySeconds { get; init; }
}
