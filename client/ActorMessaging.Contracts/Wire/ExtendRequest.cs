namespace ActorMessaging.Contracts;

/// <summary>The body of <c>POST .../subscriptions/{subscription}/extend</c>: keep the leases longer.</summary>
public sealed record ExtendRequest
{
    /// <summary>1 to 1000 ack ids from pulled or pushed deliveries.</summary>
    public IReadOnlyList<string> AckIds { get; init; } = [];

    /// <summary>Required: each lease's deadline becomes now plus this many seconds (0 to 600).</summary>
    public double? Seconds { get; init; }
}
