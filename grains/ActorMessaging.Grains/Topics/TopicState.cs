namespace ActorMessaging.Grains.Topics;

/// <summary>
/// The small, rarely written record of a topic. The log's head is not written on every publish: it is
/// checkpointed now and then, and on activation the topic probes the chunks after the checkpoint.
/// </summary>
[GenerateSerializer, Alias("am.topic-state")]
public sealed class TopicState
{
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public TopicSettings Settings { get; set; } = new();

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Bumped on delete, so a recreated topic never reads chunks of its predecessor.</summary>
    [Id(3)] public long Generation { get; set; }

    /// <summary>The lowest chunk number that may still exist.</summary>
    [Id(4)] public long FirstChunk { get; set; }

    /// <summary>A chunk number known to be written (or FirstChunk - 1); every chunk up to it exists unless retention removed it.</summary>
    [Id(5)] public long CheckpointChunk { get; set; } = -1;

    /// <summary>The next sequence to assign as of <see cref="CheckpointChunk"/>.</summary>
    [Id(6)] public long CheckpointNextSequence { get; set; } = 1;

    [Id(7)] public List<string> Subscriptions { get; set; } = [];
}
