namespace ActorMessaging.Contracts;

/// <summary>The body of <c>POST .../subscriptions/{subscription}/deadletters/resubmit</c>; an empty body resubmits every dead letter.</summary>
public sealed record ResubmitDeadLettersRequest
{
    /// <summary>The sequences of the dead letters to deliver again with fresh attempts; null for all.</summary>
    public IReadOnlyList<long>? Sequences { get; init; }
}
