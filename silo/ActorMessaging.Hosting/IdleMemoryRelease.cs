using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace ActorMessaging.Hosting;

/// <summary>
/// Returns the memory of deactivated grains to the operating system. Once idle grains have deactivated, their objects
/// are garbage in the oldest generation, which only a full collection frees; a silo that went quiet allocates too
/// little to trigger one, so a server GC would keep the whole heap committed for as long as it stays quiet. When the
/// number of activations has fallen well below its peak since the last release, one aggressive full collection runs.
/// </summary>
/// <remarks>
/// It counts this silo's activations, not Orleans' activation working set: grains leave the working set as soon as they
/// go quiet, minutes before they deactivate, and a collection then would free nothing.
/// </remarks>
internal sealed partial class IdleMemoryRelease(IGrainFactory grains, ILocalSiloDetails silo, TimeSpan period, TimeProvider time, ILogger<IdleMemoryRelease> logger)
    : BackgroundService
{
    /// <summary>Below this many deactivations a full collection would cost more than it returns.</summary>
    internal const int MinimumDrop = 1000;

    private int _peak;

    /// <summary>True when <paramref name="current"/> activations are at least a quarter (and <see cref="MinimumDrop"/>) below <paramref name="peak"/>.</summary>
    internal static bool ShouldRelease(int peak, int current) => peak - current >= Math.Max(MinimumDrop, peak / 4);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CheckAsync()
    {
        int current;
        try
        {
            var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
            current = statistics.Sum(s => s.ActivationCount);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Starting or stopping: the next tick counts again.
            LogCountFailed(exception);
            return;
        }

        _peak = Math.Max(_peak, current);
        if (!ShouldRelease(_peak, current))
        {
            return;
        }

        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var released = (before - Environment.WorkingSet) / (1024 * 1024);
        LogReleased(_peak, current, released, elapsed.TotalMilliseconds);
        _peak = current;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not count this silo's activations")]
    private partial void LogCountFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activations fell from {Peak} to {Current}: a full collection returned {ReleasedMegabytes} MB in {Milliseconds:0} ms")]
    private partial void LogReleased(int peak, int current, long releasedMegabytes, double milliseconds);
}
