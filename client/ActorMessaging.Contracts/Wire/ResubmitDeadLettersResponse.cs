namespace ActorMessaging.Contracts;

/// <summary>The answer to a resubmit.</summary>
public sealed record ResubmitDeadLettersResponse
{
    /// <summary>How many dead letters went back into delivery.</summary>
    public required int Resubmitted { get; init; }
}
