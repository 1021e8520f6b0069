namespace ActorMessaging.Bench;

/// <summary>One measured cell: a publish workload or a raw INSERT baseline.</summary>
/// <param name="Store">The backend.</param>
/// <param name="Workload"><c>publish</c> or <c>raw INSERT</c>.</param>
/// <param name="Concurrency">Concurrent publishers or raw writers.</param>
/// <param name="Batch">Messages per publish call, or rows per raw transaction.</param>
/// <param name="MessagesPerSecond">Durable messages (or rows) per second.</param>
/// <param name="P50Milliseconds">Median publish-call (or transaction) latency.</param>
/// <param name="P99Milliseconds">99th percentile publish-call (or transaction) latency.</param>
/// <param name="Commits">Group commits of the topic log; null for raw baselines.</param>
/// <param name="Cpu">CPU over the measured window.</param>
/// <param name="Errors">Calls that failed during the measured window.</param>
/// <param name="FsyncsPerSecond">The disk's fsync rate measured just before the cell (other tenants share it).</param>
/// <param name="Runs">With --repeat: the msgs/s of every run, of which this result is the median.</param>
internal sealed record CellResult(
    BenchStore Store,
    string Workload,
    int Concurrency,
    int Batch,
    double MessagesPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    ChunkWriteSummary? Commits,
    CpuUse Cpu,
    long Errors,
    double FsyncsPerSecond = double.NaN,
    IReadOnlyList<double>? Runs = null)
{
    public const string PublishWorkload = "publish";
    public const string RawWorkload = "raw INSERT";

    public bool IsRaw => Workload == RawWorkload;

    /// <summary>Runs <paramref name="measure"/> <paramref name="repeat"/> times and keeps the median run by msgs/s, with every run's msgs/s.</summary>
    public static async Task<CellResult> MedianOfAsync(int repeat, Func<Task<CellResult>> measure)
    {
        var runs = new List<CellResult>();
        for (var i = 0; i < repeat; i++)
        {
            runs.Add(await measure());
        }

        var sorted = runs.OrderBy(r => r.MessagesPerSecond).ToList();
        return repeat == 1 ? sorted[0] : sorted[(sorted.Count - 1) / 2] with { Runs = [.. runs.Select(r => r.MessagesPerSecond)] };
    }
}
