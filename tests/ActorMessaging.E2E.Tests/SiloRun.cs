using System.Diagnostics;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The silo processes one crash scenario starts on one store, and its timed log: a failed run prints every silo's
/// output tail, and every silo is stopped at the end whatever happened.
/// </summary>
internal sealed class SiloRun(SiloSettings settings, ITestOutputHelper output)
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

    public void Log(string message) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.00} s] {message}");
}
