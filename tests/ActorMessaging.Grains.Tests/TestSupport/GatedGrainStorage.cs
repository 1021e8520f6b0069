using System.Collections.Concurrent;
using Orleans.Storage;

namespace ActorMessaging.Grains.Tests;

/// <summary>
/// Grain state storage whose writes for one grain can be held back or made to fail, so tests can see when a grain
/// waits for durability and what it does when a write fails. Grains without a gate write straight through.
/// </summary>
public sealed class GatedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, WriteGate> _gates = new();

    /// <summary>The gate of <paramref name="grainId"/>'s writes (created open).</summary>
    public WriteGate For(GrainId grainId) => _gates.GetOrAdd(grainId, _ => new WriteGate());

    /// <summary>What storage holds for the grain, bypassing any gate: what a restarted silo would read.</summary>
    public async Task<T> ReadStoredAsync<T>(string stateName, GrainId grainId)
        where T : new()
    {
        var stored = new GrainState<T>(new T());
        await inner.ReadStateAsync(stateName, grainId, stored);
        return stored.State ?? new T();
    }

    /// <summary>
    /// Writes back what storage holds for the grain, as a second activation of it would (Orleans can run two during a
    /// membership change): the stored ETag moves on, so the running activation's next write fails as stale.
    /// </summary>
    public async Task WriteAsAnotherActivationAsync<T>(string stateName, GrainId grainId)
        where T : new()
    {
        var stored = new GrainState<T>(new T());
        await inner.ReadStateAsync(stateName, grainId, stored);
        await inner.WriteStateAsync(stateName, grainId, stored);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_gates.TryGetValue(grainId, out var gate))
        {
            await gate.PassAsync();
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>Holds back or fails the writes of one grain.</summary>
public sealed class WriteGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _open = CompletedSource();
    private int _failures;
    private bool _failAll;
    private int _waiting;
    private int _passed;

    /// <summary>Writes now waiting at the closed gate.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Writes that reached storage.</summary>
    public int Passed => Volatile.Read(ref _passed);

    /// <summary>Holds every write until <see cref="Open"/>.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Lets held and later writes through; clears failures.</summary>
    public void Open()
    {
        lock (_lock)
        {
            _failures = 0;
            _failAll = false;
            _open.TrySetResult();
        }
    }

    /// <summary>The next <paramref name="count"/> writes throw instead of storing.</summary>
    public void FailNext(int count = 1)
    {
        lock (_lock)
        {
            _failures = count;
        }
    }

    /// <summary>Every write throws until <see cref="Open"/>: the grain can no longer save anything, as in a crash.</summary>
    public void FailAll()
    {
        lock (_lock)
        {
            _failAll = true;
        }
    }

    internal async Task PassAsync()
    {
        Task open;
        lock (_lock)
        {
            open = _open.Task;
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            await open;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        lock (_lock)
        {
            if (_failAll || _failures > 0)
            {
                _failures = Math.Max(0, _failures - 1);
                throw new IOException("Simulated storage failure.");
            }
        }

        Interlocked.Increment(ref _passed);
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
