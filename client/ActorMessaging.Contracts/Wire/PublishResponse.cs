namespace ActorMessaging.Contracts;

/// <summary>The answer to a publish, sent once every message of the batch is durable.</summary>
public sealed record PublishResponse
{
    /// <summary>One result per published message (or CloudEvent), in the order of the request.</summary>
    public required IReadOnlyList<PublishMessageResult> Results { get; init; }
}
