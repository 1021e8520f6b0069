using System.Collections.Concurrent;
using Orleans.Runtime.Diagnostics;

namespace ActorMessaging.Grains.Tests;

/// <summary>
/// The grain timers of each grain in this process, from Orleans' timer events: which exist, and how many ticks they
/// started. A grain with no timer does no periodic work at all, which counting its calls for a while could only
/// suggest. Grain timers run on the system clock, not on the fixture's fake broker clock.
/// </summary>
public sealed class GrainTimers : IObserver<GrainTimerEvents.TimerEvent>, IDisposable
{
    // Orleans' timers do not override equality: each is its own key.
    private readonly ConcurrentDictionary<IGrainTimer, GrainId> _live = new();
    private readonly ConcurrentDictionary<IGrainTimer, (GrainId Grain, int Count)> _ticks = new();
    private readonly IDisposable _subscription;

    public GrainTimers() => _subscription = GrainTimerEvents.AllEvents.Subscribe(this);

    /// <summary>Timers of <paramref name="grain"/> created and not disposed yet.</summary>
    public int Live(GrainId grain) => _live.Values.Count(g => g == grain);

    /// <summary>Ticks of <paramref name="grain"/>'s timers that have started.</summary>
    public int Ticks(GrainId grain) => _ticks.Values.Where(t => t.Grain == grain).Sum(t => t.Count);

    /// <summary>
    /// Lets grain timers run for at least <paramref name="seconds"/> seconds: waits until one timer of
    /// <paramref name="clock"/>, a grain none of whose timers ticks more often than every second, has ticked once more
    /// than that. On a slow machine timers fire late, and this waits longer.
    /// </summary>
    public Task RunForAsync(GrainId clock, int seconds)
    {
        var before = _ticks.Where(t => t.Value.Grain == clock).ToDictionary(t => t.Key, t => t.Value.Count);
        return Eventually.TrueAsync(
            () => _ticks.Any(t => t.Value.Grain == clock && t.Value.Count - before.GetValueOrDefault(t.Key) > seconds),
            $"{seconds} s of grain timers (ticks of {clock})",
            TimeSpan.FromSeconds(seconds * 5));
    }

    public void OnNext(GrainTimerEvents.TimerEvent value)
    {
        var grain = value.GrainContext.GrainId;
        switch (value)
        {
            case GrainTimerEvents.Created:
                _live[value.Timer] = grain;
                break;
            case GrainTimerEvents.Disposed:
                _live.TryRemove(value.Timer, out _);
                break;
            case GrainTimerEvents.TickStart:
                _ticks.AddOrUpdate(value.Timer, (grain, 1), (_, ticked) => (grain, ticked.Count + 1));
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();
}
