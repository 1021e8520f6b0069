using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ActorMessaging.Client.Tests;

/// <summary>A fake clock that remembers the timers created on it, so a test can move it only once a wait has begun.</summary>
internal sealed class TimerCountingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>How many timers were created to fire after <paramref name="dueTime"/> (a backoff, not a try timeout).</summary>
    public int TimersDue(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);

    /// <summary>
    /// Moves the clock through each wait the code under test starts, one at a time and only once it has started, until
    /// <paramref name="done"/> holds; returns the time advanced. Timers due at <paramref name="below"/> or later (try
    /// timeouts) are not waits.
    /// </summary>
    public async Task<TimeSpan> AdvanceThroughWaitsAsync(Func<bool> done, TimeSpan below, string what)
    {
        var advanced = 0;
        var total = TimeSpan.Zero;
        while (true)
        {
            await Eventually.TrueAsync(() => done() || Waits(below).Count > advanced, what);
            if (done())
            {
                return total;
            }

            var wait = Waits(below)[advanced++];
            Advance(wait);
            total += wait;
        }
    }

    private List<TimeSpan> Waits(TimeSpan below) => [.. _dueTimes.Where(d => d < below)];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Counted only once the clock knows the timer. Counted before (as this did until the linger test hung in CI), a
        // test could see the timer, advance the clock, and only then have the timer registered, due after the advance.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }
}
