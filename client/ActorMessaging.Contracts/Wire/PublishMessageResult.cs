namespace ActorMessaging.Contracts;

/// <summary>What happened to one published message.</summary>
public sealed record PublishMessageResult
{
    /// <summary>The message's sequence in the topic; for a duplicate, the sequence of the message stored first.</summary>
    public required long Sequence { get; init; }

    /// <summary>True when the topic already had a message with this id within its duplicate-detection window, so nothing new was stored.</summary>
    public required bool Duplicate { get; init; }
}
