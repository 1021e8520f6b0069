namespace ActorMessaging.Contracts;

/// <summary>The body of <c>POST .../subscriptions/{subscription}/ack</c>: the deliveries are done.</summary>
public sealed record AckRequest
{
    /// <summary>1 to 1000 ack ids from pulled or pushed deliveries.</summary>
    public IReadOnlyList<string> AckIds { get; init; } = [];
}
