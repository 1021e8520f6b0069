namespace ActorMessaging.Contracts;

/// <summary>A page of dead letters in sequence order, as <c>GET .../subscriptions/{subscription}/deadletters</c> returns it.</summary>
public sealed record DeadLetterList
{
    /// <summary>The dead letters on this page.</summary>
    public required IReadOnlyList<DeadLetterMessage> DeadLetters { get; init; }

    /// <summary>Pass as <c>pageToken</c> to get the next page; null on the last page.</summary>
    public string? NextPageToken { get; init; }
}
