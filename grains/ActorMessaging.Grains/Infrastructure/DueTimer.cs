namespace ActorMessaging.Grains;

/// <summary>
/// A grain timer that exists only while its grain has something due. <see cref="Within"/> arms it for the earliest time
/// asked; a tick that arms nothing again is the last, and the timer is gone. Topic and subscription grains used to keep
/// timers from activation to deactivation: an idle silo holding 50,000 topics with a subscription each ran 142,000 of them
/// and spent 72% of two cores on nothing (issue 17). A grain with nothing due has no timer at all.
/// </summary>
/// <remarks>
/// Ticks are Orleans grain timer ticks: one at a time with the grain's calls, on the system clock (not the broker clock),
/// and they do not keep the grain from being deactivated. Must be used from the grain's own turns.
/// </remarks>
internal sealed class DueTimer(IGrainBase grain, Func<Task> tick)
{
    // A grain timer takes at most about 49 days; a later due time fires after a day and the tick arms again.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(1);

    private IGrainTimer? _timer;

    // Environment.TickCount64 at which the armed tick is due; long.MaxValue when none is armed.
    private long _dueAt = long.MaxValue;

    /// <summary>Makes the next tick come after <paramref name="delay"/> at the latest; one armed earlier stays as it is.</summary>
    public void Within(TimeSpan delay)
    {
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
        var dueAt = Environment.TickCount64 + (long)delay.TotalMilliseconds;
        if (dueAt >= _dueAt)
        {
            return;
        }

        _dueAt = dueAt;
        if (_timer is null)
        {
            _timer = grain.RegisterGrainTimer(FireAsync, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            // Called during a tick, Orleans applies the change once the tick has finished.
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task FireAsync()
    {
        _dueAt = long.MaxValue;
        try
        {
            await tick();
        }
        finally
        {
            if (_dueAt == long.MaxValue)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }
    }
}
