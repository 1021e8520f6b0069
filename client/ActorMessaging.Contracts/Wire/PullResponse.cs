namespace ActorMessaging.Contracts;

/// <summary>Messages leased by a pull; empty when none arrived within the wait.</summary>
public sealed record PullResponse
{
    /// <summary>The leased messages; settle each with its <see cref="ReceivedMessage.AckId"/>.</summary>
    public required IReadOnlyList<ReceivedMessage> Messages { get; init; }
}
