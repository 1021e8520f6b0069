using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>scale [options]</c>: the control plane at many topics (issue 17) — creates per second, silo memory, database size
/// and prefix listing as the number of topics grows, then the memory left after an idle wait and the latency of a
/// publish to topics created long before (see <see cref="ScaleOptions.Usage"/>).
/// </summary>
internal static class ScaleCommand
{
    public const string Usage = ScaleOptions.Usage;

    private static readonly TimeSpan FreshSettle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IdleSample = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan IdleSettled = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine, CancellationToken cancellationToken)
    {
        ScaleOptions options;
        try
        {
            options = ScaleOptions.Parse(args.Span);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        var load = MachineState.LoadAverage();
        await Console.Error.WriteLineAsync($"Starting the silo process ({options.Store})…");
        await using var silo = await ScaleSilo.StartAsync(options.Store);
        await Task.Delay(FreshSettle, cancellationToken);
        var freshRss = silo.RssBytes();
        await Console.Error.WriteLineAsync($"Silo pid {silo.ProcessId} at {silo.Address}, fresh RSS {ScaleBlock.Megabytes(freshRss)}.");
        await Console.Error.WriteLineAsync(ScaleBlock.Header);

        using var http = new ScaleLoad(silo.Address, options.Callers);
        var freshActivations = await http.ActivationsAsync();
        var started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.MaxDuration is { } maxDuration)
        {
            deadline.CancelAfter(maxDuration);
        }

        var blocks = new List<ScaleBlock>();
        var taken = 0;
        while (taken < options.Topics && !deadline.IsCancellationRequested)
        {
            var block = await BlockAsync(silo, http, options, taken, Math.Min(options.Topics, taken + options.Block), deadline.Token);
            taken = block.Topics;
            blocks.Add(block);
            await Console.Error.WriteLineAsync(block.Row);
            if (silo.HasExited)
            {
                await Console.Error.WriteLineAsync($"The silo exited.{Environment.NewLine}{silo.OutputTail()}");
                return 2;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var loadTime = Stopwatch.GetElapsedTime(started);
        var stoppedEarly = taken < options.Topics;
        if (stoppedEarly)
        {
            await Console.Error.WriteLineAsync($"Stopped at --max-minutes after {taken:N0} topics.");
        }

        var endRss = silo.RssBytes();
        var idleCpu = silo.CpuTime();
        var (idleRss, idleTime, idleCpuBySample, idleActivations) = await IdleAsync(silo, http, freshActivations, options.IdleWait, cancellationToken);
        var idleCpuPercent = (silo.CpuTime() - idleCpu).TotalSeconds / (idleTime.TotalSeconds * Environment.ProcessorCount) * 100;
        var cold = await ColdPublishAsync(http, taken);

        await Console.Out.WriteAsync(Report(options, commandLine, load, blocks, loadTime, stoppedEarly, freshRss, endRss, idleRss, idleTime, (freshActivations, idleActivations), idleCpuPercent, idleCpuBySample, cold, [.. http.Failures()]));
        return 0;
    }

    private static async Task<ScaleBlock> BlockAsync(ScaleSilo silo, ScaleLoad http, ScaleOptions options, int first, int end, CancellationToken deadline)
    {
        var next = first;
        var recorders = Enumerable.Range(0, options.Callers).Select(_ => new ScaleRecorders()).ToList();
        var cpu = silo.CpuTime();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(recorders.Select(async recorder =>
        {
            await Task.Yield();
            while (!deadline.IsCancellationRequested)
            {
                var k = Interlocked.Increment(ref next) - 1;
                if (k >= end)
                {
                    break;
                }

                if (!await http.CreateAsync(k, recorder))
                {
                    recorder.Errors++;
                }
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpuPercent = (silo.CpuTime() - cpu).TotalSeconds / (elapsed.TotalSeconds * Environment.ProcessorCount) * 100;

        // The listing is read between blocks, so it sees the directory at rest and does not slow the block's creates.
        var lists = new LatencyRecorder();
        var names = 0;
        for (var read = 0; read < ScaleOptions.ListReads; read++)
        {
            (var ticks, names) = await http.ListAsync();
            lists.Record(ticks);
        }

        var topics = Math.Min(end, next);
        var errors = recorders.Sum(r => r.Errors);
        return new ScaleBlock(
            topics,
            topics - first - errors,
            errors,
            elapsed,
            silo.RssBytes(),
            cpuPercent,
            await silo.DatabaseBytesAsync(),
            LatencyRecorder.Percentiles(recorders.Select(r => r.Create)),
            LatencyRecorder.Percentiles(recorders.Select(r => r.Topic)),
            LatencyRecorder.Percentiles(recorders.Select(r => r.Message)),
            LatencyRecorder.Percentiles([lists]),
            names,
            topics < end);
    }

    /// <summary>
    /// Waits <paramref name="wait"/>, or until the silo's activations have fallen to what a fresh silo holds and then its
    /// RSS has not fallen by another 1% in a minute (at most <see cref="ScaleOptions.MaxIdleWait"/>), printing the RSS,
    /// activations and CPU every 10 s: idle grains should cost no CPU. Orleans collects a grain between one and two idle
    /// timeouts after its last call (a grain called after its collection was scheduled waits a whole timeout more), so
    /// the RSS alone plateaus between the two rounds and would be read too early.
    /// </summary>
    private static async Task<(double Rss, TimeSpan Waited, List<double> CpuBySample, long? Activations)> IdleAsync(
        ScaleSilo silo, ScaleLoad http, long? freshActivations, TimeSpan? wait, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var limit = wait ?? ScaleOptions.MaxIdleWait;
        await Console.Error.WriteLineAsync(wait is { } fixedWait
            ? $"Idle for {fixedWait.TotalSeconds:0} s…"
            : $"Idle until the activations are back to a fresh silo's and the RSS stops falling (at most {ScaleOptions.MaxIdleWait.TotalMinutes:0} minutes)…");
        var samples = new List<double> { silo.RssBytes() };
        var cpuBySample = new List<double>();
        var settledAfter = (int)(IdleSettled / IdleSample);
        int? collectedAt = null;
        long? activations = null;
        for (var waited = TimeSpan.Zero; waited < limit; waited += IdleSample)
        {
            var cpu = silo.CpuTime();
            var sampleStart = Stopwatch.GetTimestamp();
            await Task.Delay(limit - waited < IdleSample ? limit - waited : IdleSample, cancellationToken);
            var cpuPercent = (silo.CpuTime() - cpu).TotalSeconds / (Stopwatch.GetElapsedTime(sampleStart).TotalSeconds * Environment.ProcessorCount) * 100;
            activations = await http.ActivationsAsync();
            samples.Add(silo.RssBytes());
            cpuBySample.Add(cpuPercent);
            await Console.Error.WriteLineAsync($"  {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s: RSS {ScaleBlock.Megabytes(samples[^1])}, activations {activations?.ToString("N0", CultureInfo.InvariantCulture) ?? "?"}, silo CPU {cpuPercent:0}%");
            if (collectedAt is null && activations <= (freshActivations ?? 0) + ScaleOptions.IdleActivationSlack)
            {
                collectedAt = samples.Count - 1;
            }

            // Settled: the grains are gone, and since then the RSS has not fallen by another 1% within a minute.
            if (wait is null && collectedAt is { } at && samples.Count - 1 - at >= settledAfter && samples[^1] >= samples[^(settledAfter + 1)] * 0.99)
            {
                break;
            }
        }

        return (samples[^1], Stopwatch.GetElapsedTime(start), cpuBySample, activations);
    }

    /// <summary>One publish at a time to each of 200 random topics among the first <paramref name="topics"/>, for at most 2 minutes.</summary>
    private static async Task<ColdPublishes> ColdPublishAsync(ScaleLoad http, int topics)
    {
        var latencies = new LatencyRecorder();
        var (sent, errors) = (0, 0);
        var random = new Random(17);
        var start = Stopwatch.GetTimestamp();
        for (; sent < ScaleOptions.ColdPublishes && topics > 0 && Stopwatch.GetElapsedTime(start) < ScaleOptions.ColdPublishTime; sent++)
        {
            if (await http.PublishAsync(random.Next(topics)) is { } ticks)
            {
                latencies.Record(ticks);
            }
            else
            {
                errors++;
            }
        }

        return new ColdPublishes(LatencyRecorder.Percentiles([latencies]), sent, errors);
    }

    private static string Count(long? count) => count?.ToString("N0", CultureInfo.InvariantCulture) ?? "?";

    private static string Report(
        ScaleOptions options,
        string[] commandLine,
        double load,
        List<ScaleBlock> blocks,
        TimeSpan loadTime,
        bool stoppedEarly,
        double freshRss,
        double endRss,
        double idleRss,
        TimeSpan idleTime,
        (long? Fresh, long? Idle) activations,
        double idleCpuPercent,
        List<double> idleCpuBySample,
        ColdPublishes cold,
        List<string> failures)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## Topics at scale, {(options.Store == BenchStore.Postgres ? "PostgreSQL" : "SQLite")} ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"The silo host as its own process (co-hosted gateway, Development, rate limit off) on 127.0.0.1; {options.Callers} HTTP callers, each create = PUT topic with its subscription + POST one {ScaleOptions.PayloadBytes}-byte message; {Environment.ProcessorCount} cores, load average {load:0.0} at the start.");
        report.AppendLine();
        report.AppendLine(ScaleBlock.Header);
        foreach (var block in blocks)
        {
            report.AppendLine(block.Row);
        }

        report.AppendLine();
        var total = blocks.Sum(b => b.Created);
        report.AppendLine(CultureInfo.InvariantCulture, $"{total:N0} topics created in {loadTime.TotalMinutes:0.0} minutes{(stoppedEarly ? $" — stopped at --max-minutes {options.MaxDuration!.Value.TotalMinutes:0}, short of {options.Topics:N0}" : "")}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Silo RSS: fresh {ScaleBlock.Megabytes(freshRss)}; at the end of the load {ScaleBlock.Megabytes(endRss)}; after {idleTime.TotalSeconds:0} s idle {ScaleBlock.Megabytes(idleRss)} ({ScaleBlock.Megabytes(idleRss - freshRss)} above fresh), with {Count(activations.Idle)} activations (fresh: {Count(activations.Fresh)}). Silo CPU during the idle wait: {idleCpuPercent:0}% of all cores ({string.Join(", ", idleCpuBySample.Select(p => p.ToString("0", CultureInfo.InvariantCulture)))}% in its successive 10 s).");
        var cut = cold.Sent < ScaleOptions.ColdPublishes ? $" (stopped after {ScaleOptions.ColdPublishTime.TotalMinutes:0} minutes)" : "";
        report.AppendLine(CultureInfo.InvariantCulture, $"Publish after the idle wait, one at a time to {cold.Sent} of {ScaleOptions.ColdPublishes} random existing topics{cut}: p50 / p99 {ScaleBlock.Pair(cold.Latency)} ms{(cold.Errors > 0 ? $", {cold.Errors} failed" : "")}.");
        foreach (var failure in failures)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- Failed: {failure}");
        }

        report.AppendLine();
        report.AppendLine("creates/s: whole creates (both calls answered 2xx) per second of the block. silo CPU: the silo process's CPU time in the block, % of all cores. " +
                          "database: SQLite file + WAL, or pg_database_size. Latencies: each call and the whole create, in ms, over the block. " +
                          $"list: {ScaleOptions.ListReads} reads of GET /v1/topics?prefix={ScaleOptions.ListedPrefix}&pageSize={ScaleOptions.ListPageSize} after the block, with the names the page held.");
        if (blocks.Count > 0 && blocks[0].CreatesPerSecond > 0)
        {
            report.AppendLine();
            report.AppendLine(CultureInfo.InvariantCulture, $"Last block at {blocks[^1].CreatesPerSecond / blocks[0].CreatesPerSecond * 100:0}% of the first block's creates/s (goal: ≥ 80% at 1,000,000 topics).");
        }

        return report.ToString();
    }

    private sealed record ColdPublishes((double P50, double P99) Latency, int Sent, int Errors);
}
