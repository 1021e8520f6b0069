namespace ActorMessaging.Grains.Topics;

/// <summary>A chunk being written, and its number; no number for a chunk of duplicates only, which writes nothing.</summary>
internal readonly record struct ChunkWrite(PendingChunk Chunk, long? Number, Task Write);
