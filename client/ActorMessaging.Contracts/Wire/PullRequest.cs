namespace ActorMessaging.Contracts;

/// <summary>The body of <c>POST /v1/topics/{topic}/subscriptions/{subscription}/pull</c>; an empty body takes the defaults.</summary>
public sealed record PullRequest
{
    /// <summary>The most messages to lease. Default 10; 1 to 1000.</summary>
    public int? MaxMessages { get; init; }

    /// <summary>
    /// When no message is ready, how long to wait for one, in seconds. Default 0 (answer at once); at most 30.
    /// The answer comes as soon as at least one message is leased.
    /// </summary>
    public double? WaitSeconds { get; init; }
}
