namespace ActorMessaging.Contracts;

/// <summary>
/// The body of <c>POST .../subscriptions/{subscription}/seek</c>: replay from (or skip to) a sequence or a publish
/// time within the topic's retention. Messages before it count as acked; messages from it on are delivered again.
/// Give exactly one field.
/// </summary>
public sealed record SeekRequest
{
    /// <summary>A sequence the topic retains, or the next one to be assigned (skip everything published so far).</summary>
    public long? Sequence { get; init; }

    /// <summary>A time within the topic's retention: the cursor moves to the first message published at or after it.</summary>
    public DateTimeOffset? Time { get; init; }
}
