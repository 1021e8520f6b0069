namespace ActorMessaging.Grains.Topics;

/// <summary>One group commit of a topic's log: consecutive messages, written once, never rewritten.</summary>
[GenerateSerializer, Alias("am.log-chunk")]
public sealed class LogChunk
{
    [Id(0)] public List<StoredMessage> Messages { get; set; } = [];
}
