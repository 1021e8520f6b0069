using System.Diagnostics;
using ActorMessaging.Grains.Topics;
using Orleans.Storage;

namespace ActorMessaging.Bench;

/// <summary>
/// Wraps the log storage (<see cref="ActorMessaging.Grains.StorageNames.Log"/>) to time each chunk write: how
/// many group commits the topic made, how many messages each carried and how long each took (serialization
/// and the database round trip, as the provider does both inside WriteStateAsync). It changes nothing else.
/// </summary>
internal sealed class ChunkWriteProbe(IGrainStorage inner, ChunkWriteStats stats) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (grainState.State is LogChunk chunk)
        {
            stats.Record(chunk.Messages.Count, Stopwatch.GetTimestamp() - started);
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);
}
