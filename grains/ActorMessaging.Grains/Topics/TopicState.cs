namespace ActorMessaging.Grains.Topics;

/// <summary>
/// The small, rarely written record of a topic. It is stored only while the topic exists: its presence is the topic's
/// existence and its key is what listing finds (<see cref="Directory.TopicRecords"/>). The log's head is not written on every publish: it is
/// checkpointed now and then, and on activation the topic probes the chunks after the checkpoint.
/// </summary>
[GenerateSerializer, Alias("am.topic-state")]
public sealed class TopicState
{
    /// <summary>True for a stored record; false in memory for a topic that does not exist (and in records of earlier versions, which kept deleted topics).</summary>
    [Id(0)] public bool Exists { get; set; }

    [Id(1)] public TopicSettings Settings { get; set; } = new();

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Part of every chunk's key, drawn at random on create: a deleted topic leaves no record to remember its
    /// generation, and a recreated topic must never read chunks of its predecessor that cleanup left behind.
    /// </summary>
    [Id(3)] public long Generation { get; set; }

    /// <summary>The lowest chunk number that may still exist.</summary>
    [Id(4)] public long FirstChunk { get; set; }

    /// <summary>A chunk number known to be written (or FirstChunk - 1); every chunk up to it exists unless retention removed it.</summary>
    [Id(5)] public long CheckpointChunk { get; set; } = -1;

    /// <summary>The next sequence to assign as of <see cref="CheckpointChunk"/>.</summary>
    [Id(6)] public long CheckpointNextSequence { get; set; } = 1;

    [Id(7)] public List<string> Subscriptions { get; set; } = [];

    /// <summary>A generation no earlier topic of the same name used, with overwhelming probability (2^-62 per pair).</summary>
    public static long NewGeneration() => Random.Shared.NextInt64(1, long.MaxValue);
}
