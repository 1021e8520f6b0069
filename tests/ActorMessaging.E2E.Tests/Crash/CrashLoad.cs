namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The work a crash scenario runs against a silo until it is killed: loops of calls, each call counted while it is in
/// flight, and a call that fails because of the kill ends its loop quietly (its outcome is unknown, not an error).
/// </summary>
internal sealed class CrashLoad : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _killed;
    private int _callsInFlight;

    /// <summary>Cancelled right after the kill: loops stop, and calls still waiting give up.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Counted calls (see <see cref="CallAsync"/>) that had started and not returned.</summary>
    public int CallsInFlight => Volatile.Read(ref _callsInFlight);

    /// <summary>
    /// Runs one call of a loop. Returns <see langword="false"/> when the call failed once the silo was killed (the loop
    /// should end); any other failure is the scenario's, and throws.
    /// </summary>
    /// <param name="call">The call, given <see cref="Stopping"/>.</param>
    /// <param name="counted">Whether the call is the kind the scenario wants the kill to hit in flight.</param>
    public async Task<bool> CallAsync(Func<CancellationToken, Task> call, bool counted = true)
    {
        if (counted)
        {
            Interlocked.Increment(ref _callsInFlight);
        }

        try
        {
            await call(_stop.Token);
            return true;
        }
        catch (Exception) when (_killed)
        {
            return false;
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _callsInFlight);
            }
        }
    }

    /// <summary>From now on failures are the kill's; then <see cref="Stopping"/> is cancelled.</summary>
    public void MarkKilled() => _killed = true;

    public Task StopAsync() => _stop.CancelAsync();

    public void Dispose() => _stop.Dispose();
}
