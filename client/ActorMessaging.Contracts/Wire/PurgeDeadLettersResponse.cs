namespace ActorMessaging.Contracts;

/// <summary>The answer to <c>DELETE .../subscriptions/{subscription}/deadletters</c>.</summary>
public sealed record PurgeDeadLettersResponse
{
    /// <summary>How many dead letters were deleted.</summary>
    public required int Purged { get; init; }
}
