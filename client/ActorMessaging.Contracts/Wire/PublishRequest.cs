namespace ActorMessaging.Contracts;

/// <summary>The body of <c>POST /v1/topics/{topic}/messages</c> (content type <c>application/json</c>).</summary>
public sealed record PublishRequest
{
    /// <summary>The batch: 1 to 1000 messages and at most 10 MiB, stored atomically in this order.</summary>
    public IReadOnlyList<PublishMessage> Messages { get; init; } = [];
}
