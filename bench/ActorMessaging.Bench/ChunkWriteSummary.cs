namespace ActorMessaging.Bench;

/// <summary>Group commits of the topic log over one measured window.</summary>
/// <param name="WritesPerSecond">Chunk writes (group commits) per second.</param>
/// <param name="MessagesPerWrite">Mean messages per chunk.</param>
/// <param name="WriteP50Milliseconds">Median duration of one chunk write, serialization included.</param>
/// <param name="BusyPercent">Share of the window during which a chunk write was in flight.</param>
internal readonly record struct ChunkWriteSummary(double WritesPerSecond, double MessagesPerWrite, double WriteP50Milliseconds, double BusyPercent);
