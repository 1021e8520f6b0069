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

    /// <summary>When set, the next read of a record whose key starts with this prefix throws <see cref="FailNextRead"/>.</summary>
    public string? FailNextReadOf { get; set; }

    public Exception FailNextRead { get; set; } = new IOException("Simulated read failure.");

    /// <summary>Reads of records whose key starts with the key here wait until its task completes: a store, or a silo, that does not answer.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> HeldReads { get; } = new();

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString();
        foreach (var (prefix, held) in HeldReads)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                await held.Task;
            }
        }

        if (FailNextReadOf is { } failing && key.StartsWith(failing, StringComparison.Ordinal))
        {
            FailNextReadOf = null;
            throw FailNextRead;
        }

        await inner.ReadStateAsync(stateName, grainId, grainState);
    }

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
