namespace ActorMessaging.Contracts;

/// <summary>The answer to an ack, nack or extend: every ack id not listed here was applied.</summary>
public sealed record SettleResponse
{
    /// <summary>The ack ids that did not apply; empty when all did.</summary>
    public required IReadOnlyList<AckIdFailure> Failures { get; init; }
}
