using System.Collections.Concurrent;
using Orleans.Storage;

namespace ActorMessaging.Grains.Tests;

/// <summary>Counts writes to the log store, so tests can see group commit and retention instead of trusting them.</summary>
public sealed class CountingGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, byte> _stored = new();
    private int _writes;

    public int Writes => Volatile.Read(ref _writes);

    /// <summary>Records stored now (written and not cleared) whose key starts with <paramref name="keyPrefix"/>; a topic's chunks are keyed <c>{topic}/…</c>.</summary>
    public int CountStored(string keyPrefix) => _stored.Keys.Count(id => id.Key.ToString().StartsWith(keyPrefix, StringComparison.Ordinal));

    /// <summary>When set, the next write throws instead of storing.</summary>
    public Exception? FailNextWrite { get; set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    /// <summary>Simulated device latency per write (an fsync), so concurrent publishers overlap a write in flight.</summary>
    public TimeSpan WriteLatency { get; set; }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailNextWrite is { } failure)
        {
            FailNextWrite = null;
            throw failure;
        }

        Interlocked.Increment(ref _writes);
        if (WriteLatency > TimeSpan.Zero)
        {
            await Task.Delay(WriteLatency);
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
        _stored[grainId] = 0;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await inner.ClearStateAsync(stateName, grainId, grainState);
        _stored.TryRemove(grainId, out _);
    }
}
