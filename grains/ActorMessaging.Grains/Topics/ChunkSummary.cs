namespace ActorMessaging.Grains.Topics;

/// <summary>What the topic remembers about a chunk without holding its messages.</summary>
internal readonly record struct ChunkSummary(long ChunkNumber, long FirstSequence, long LastSequence, DateTimeOffset LastPublishedAt);
