using System.Diagnostics;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Runs one crash scenario on one store: starts its silo processes, kills the current one in the middle of a
/// <see cref="CrashLoad"/>, and keeps a timed log. A failed run prints every silo's output tail, and every silo is
/// stopped at the end whatever happened.
/// </summary>
internal sealed class CrashRun(SiloSettings settings, ITestOutputHelper output)
{
    private readonly List<SiloProcess> _silos = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The silo started last.</summary>
    public SiloProcess Current => _silos[^1];

    public async Task RunAsync(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch
        {
            foreach (var silo in _silos)
            {
                output.WriteLine(silo.OutputTail(200));
            }

            throw;
        }
        finally
        {
            foreach (var silo in _silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    public async Task<SiloProcess> StartSiloAsync(string name)
    {
        var started = _clock.Elapsed;
        var silo = await SiloProcess.StartAsync(settings, name);
        _silos.Add(silo);
        Log($"silo '{name}' healthy in {(_clock.Elapsed - started).TotalSeconds:0.0} s (pid {silo.ProcessId})");
        return silo;
    }

    /// <summary>
    /// Runs <paramref name="loops"/> against the current silo until <paramref name="ready"/> holds, then SIGKILLs it
    /// with calls in flight and waits for every loop to end. A loop that ends before the kill fails the scenario.
    /// </summary>
    /// <returns>The counted calls that were in flight at the kill.</returns>
    public async Task<int> KillDuringAsync(IReadOnlyList<Func<CrashLoad, Task>> loops, Func<bool> ready, string awaited, TimeSpan timeout)
    {
        using var load = new CrashLoad();
        var tasks = loops.Select(loop => Task.Run(() => loop(load))).ToList();
        await Eventually.TrueAsync(async () =>
        {
            if (tasks.FirstOrDefault(t => t.IsCompleted) is { } ended)
            {
                await ended; // A loop that ended before the crash failed: surface why.
                throw new InvalidOperationException("A loop of the load stopped before the silo was killed.");
            }

            return ready();
        }, awaited, timeout);

        var inFlight = load.CallsInFlight;
        load.MarkKilled();
        Current.Kill();
        await load.StopAsync();
        await Task.WhenAll(tasks).WaitAsync(timeout);
        Log($"SIGKILL with {inFlight} calls in flight");
        return inFlight;
    }

    public void Log(string message) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.00} s] {message}");
}
