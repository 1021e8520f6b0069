using Orleans.Storage;

namespace ActorMessaging.Grains.Topics;

/// <summary>
/// Reads and writes a topic's chunks through the configured grain storage, each chunk under a synthetic
/// grain id <c>am-chunk/{topic}/{generation}/{chunk}</c>, so memory, SQLite and PostgreSQL all work alike.
/// </summary>
internal sealed class LogChunkStore(IGrainStorage storage, string topic)
{
    private const string StateName = "chunk";
    private static readonly GrainType ChunkType = GrainType.Create("am-chunk");

    public async Task WriteAsync(long generation, long chunkNumber, List<StoredMessage> messages)
    {
        // A null ETag means "must not exist": a chunk is written once, so a second writer fails instead of overwriting.
        var state = new GrainState<LogChunk>(new LogChunk { Messages = messages }, eTag: null);
        var started = Stopwatch.GetTimestamp();
        await storage.WriteStateAsync(StateName, IdOf(generation, chunkNumber), state);
        StorageTelemetry.LogWritten(messages.Count, started);
    }

    public async Task<List<StoredMessage>?> ReadAsync(long generation, long chunkNumber)
    {
        var state = new GrainState<LogChunk>(new LogChunk());
        await storage.ReadStateAsync(StateName, IdOf(generation, chunkNumber), state);
        return state.RecordExists && state.State is { Messages.Count: > 0 } chunk ? chunk.Messages : null;
    }

    public async Task DeleteAsync(long generation, long chunkNumber)
    {
        var id = IdOf(generation, chunkNumber);
        var state = new GrainState<LogChunk>(new LogChunk());
        await storage.ReadStateAsync(StateName, id, state);
        if (state.RecordExists)
        {
            await storage.ClearStateAsync(StateName, id, state);
        }
    }

    private GrainId IdOf(long generation, long chunkNumber) =>
        GrainId.Create(ChunkType, IdSpan.Create($"{topic}/{generation}/{chunkNumber}"));
}
