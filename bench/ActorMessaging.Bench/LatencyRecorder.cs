using System.Diagnostics;

namespace ActorMessaging.Bench;

/// <summary>Elapsed Stopwatch ticks of one worker's calls; merged after a run to read percentiles.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _ticks = new(4096);

    public int Count => _ticks.Count;

    public void Record(long elapsedTicks) => _ticks.Add(elapsedTicks);

    public void Clear() => _ticks.Clear();

    /// <summary>p50 and p99 in milliseconds over every recorder, or NaN when nothing was recorded.</summary>
    public static (double P50, double P99) Percentiles(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r._ticks).ToArray();
        if (all.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        Array.Sort(all);
        return (ToMilliseconds(At(all, 0.50)), ToMilliseconds(At(all, 0.99)));
    }

    private static long At(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double ToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
