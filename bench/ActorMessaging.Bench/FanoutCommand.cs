using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>fanout [--subscribers LIST] [--seconds N] [--rate N] [--store sqlite|memory]</c>: deliveries/s and
/// publish-to-receive latency from one topic to N WebSocket subscribers, ActorMessaging beside a minimal SignalR hub
/// and a minimal raw WebSocket server, cell by cell in the same process.
/// </summary>
internal static class FanoutCommand
{
    public const string Usage = FanoutOptions.Usage;

    // Throughput phase: closed-loop publishers, each publishing this many messages per call.
    private const int Batch = 100;

    // Messages published but not yet delivered to every subscriber, at most (bounds memory in every system).
    private const int Credit = 2000;

    private const int TicksPerSecond = 100;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine, CancellationToken cancellationToken)
    {
        FanoutOptions options;
        try
        {
            options = FanoutOptions.Parse(args.Span);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        await Console.Error.WriteLineAsync("Starting the systems to compare…");
        var systems = new List<IFanoutSystem>();
        var rows = new List<FanoutRow>();
        try
        {
            if (options.Systems.Contains("am"))
            {
                systems.Add(await ActorMessagingFanout.StartAsync(options.Store, cancellationToken));
            }

            if (options.Systems.Contains("signalr"))
            {
                systems.Add(await SignalRFanout.StartAsync(deliverShape: false, cancellationToken));
            }

            if (options.Systems.Contains("shape"))
            {
                systems.Add(await SignalRFanout.StartAsync(deliverShape: true, cancellationToken));
            }

            if (options.Systems.Contains("raw"))
            {
                systems.Add(await RawWebSocketFanout.StartAsync(cancellationToken));
            }
            foreach (var subscribers in options.Subscribers)
            {
                // Systems take turns at each N, so the machine's noise hits them alike.
                foreach (var protocol in options.Protocols)
                {
                    foreach (var system in systems.Where(s => s.Speaks(protocol)))
                    {
                        var row = await RunCellAsync(system, protocol, subscribers, options, cancellationToken);
                        await Console.Error.WriteLineAsync(
                            string.Create(CultureInfo.InvariantCulture, $"{row.System}, {subscribers} subscribers: {row.DeliveriesPerSecond:N0} deliveries/s (CPU {row.Cpu.Process:0}% / host {row.Cpu.Host:0}%), at {options.Rate:N0} msg/s p50 {row.P50:0.00} ms p99 {row.P99:0.00} ms, {row.Delivered:P1} delivered"));
                        rows.Add(row);
                    }
                }
            }
        }
        finally
        {
            foreach (var system in systems)
            {
                await system.DisposeAsync();
            }
        }

        await Console.Out.WriteAsync(Report(options, commandLine, systems, rows));
        return 0;
    }

    private static async Task<FanoutRow> RunCellAsync(IFanoutSystem system, FanoutProtocol protocol, int subscribers, FanoutOptions options, CancellationToken cancellationToken)
    {
        var window = new FanoutWindow();
        var receivers = Enumerable.Range(0, subscribers).Select(_ => new FanoutReceiver(window)).ToList();
        await system.ConnectAsync(receivers, protocol, cancellationToken);
        try
        {
            var (deliveries, cpu) = await ThroughputAsync(system, receivers, options, cancellationToken);
            var (p50, p99, delivered, sent) = await LatencyAsync(system, receivers, window, options, cancellationToken);
            return new FanoutRow(system.Name + protocol.Suffix(), protocol, subscribers, deliveries, cpu, p50, p99, delivered, sent);
        }
        finally
        {
            await system.DisconnectAsync();
        }
    }

    /// <summary>Closed-loop publishers flat out (held back by <see cref="Credit"/>); deliveries/s across all subscribers.</summary>
    private static async Task<(double DeliveriesPerSecond, CpuUse Cpu)> ThroughputAsync(
        IFanoutSystem system, List<FanoutReceiver> receivers, FanoutOptions options, CancellationToken cancellationToken)
    {
        var n = receivers.Count;
        long published = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishers = Enumerable.Range(0, options.Publishers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if ((Interlocked.Read(ref published) * n) - FanoutReceiver.Total(receivers) > (long)Credit * n)
                {
                    await Task.Delay(1, CancellationToken.None);
                    continue;
                }

                Interlocked.Add(ref published, Batch);
                await system.PublishAsync(Batch, Stopwatch.GetTimestamp());
            }
        }, CancellationToken.None)).ToList();

        await Task.Delay(options.Warmup, cancellationToken);
        var (startCount, startTime, startCpu) = (FanoutReceiver.Total(receivers), Stopwatch.GetTimestamp(), CpuSample.Take());
        await Task.Delay(options.Measure, cancellationToken);
        var (endCount, elapsed, cpu) = (FanoutReceiver.Total(receivers), Stopwatch.GetElapsedTime(startTime), CpuSample.Take().Since(startCpu));
        await stop.CancelAsync();
        await Task.WhenAll(publishers);
        await DrainAsync(receivers, Interlocked.Read(ref published) * n, cancellationToken);
        return ((endCount - startCount) / elapsed.TotalSeconds, cpu);
    }

    /// <summary>
    /// Publishes at the fixed rate (a batch every 10 ms, stamped when it leaves; publishes are not awaited by the pacer,
    /// so a slow one does not delay the next); latency of the messages sent in the measured window.
    /// </summary>
    private static async Task<(double P50, double P99, double Delivered, double SentPerSecond)> LatencyAsync(
        IFanoutSystem system, List<FanoutReceiver> receivers, FanoutWindow window, FanoutOptions options, CancellationToken cancellationToken)
    {
        var n = receivers.Count;
        foreach (var receiver in receivers)
        {
            receiver.ClearLatencies();
        }

        var baseline = FanoutReceiver.Total(receivers);
        long published = 0;
        long windowSent = 0;
        var pending = new List<Task>();
        var open = false;
        var start = Stopwatch.GetTimestamp();
        var windowStart = options.Warmup;
        var windowEnd = options.Warmup + options.Measure;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(start, now);
            if (!open && elapsed >= windowStart)
            {
                window.Open(now);
                open = true;
            }

            if (elapsed >= windowEnd)
            {
                window.Close(now);
                break;
            }

            var due = (long)(elapsed.TotalSeconds * options.Rate) - published;
            if (due <= 0)
            {
                continue;
            }

            // Past the credit the system cannot keep up: these messages are not sent (and show as missing deliveries).
            var backlog = (published * n) - (FanoutReceiver.Total(receivers) - baseline);
            published += due;
            if (backlog > (long)Credit * n)
            {
                continue;
            }

            if (open)
            {
                windowSent += due;
            }

            pending.RemoveAll(t => t.IsCompletedSuccessfully);
            for (var remaining = due; remaining > 0; remaining -= Batch)
            {
                pending.Add(system.PublishAsync((int)Math.Min(Batch, remaining), now));
            }
        }

        await Task.WhenAll(pending);
        await DrainAsync(receivers, baseline + (published * n), cancellationToken);
        window.Reset();
        var recorded = receivers.Sum(r => (long)r.Latencies.Count);
        var (p50, p99) = LatencyRecorder.Percentiles(receivers.Select(r => r.Latencies));
        var delivered = windowSent == 0 ? 0 : Math.Min(1, recorded / (double)(windowSent * n));
        return (p50, p99, delivered, windowSent / options.Measure.TotalSeconds);
    }

    private static async Task DrainAsync(IReadOnlyList<FanoutReceiver> receivers, long expected, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (FanoutReceiver.Total(receivers) < expected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    private static string Report(FanoutOptions options, string[] commandLine, List<IFanoutSystem> systems, List<FanoutRow> rows)
    {
        var text = new StringBuilder();
        var rate = options.Rate.ToString("N0", CultureInfo.InvariantCulture);
        text.Append(CultureInfo.InvariantCulture, $"### Fan-out to WebSocket subscribers, {FanoutPayload.Size}-byte messages\n\n");
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, server GC, load average {MachineState.LoadAverage():0.0} at the end. Everything (servers, publishers, subscribers) in one process on 127.0.0.1.\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Deliveries/s: {options.Publishers} closed-loop publishers × {Batch} messages per call, at most {Credit:N0} messages undelivered per subscriber, {options.Warmup.TotalSeconds:0} s warm-up + {options.Measure.TotalSeconds:0} s. Latency: {rate} msg/s in batches every 10 ms, stamped (Stopwatch) when published, read when the subscriber's handler runs; `sent/s` below {rate} and `delivered` below 100% mean the system fell behind (past the credit the pacer drops messages).\n\n");
        foreach (var system in systems)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {system.Name}: {system.PublishPath}\n");
        }

        text.Append("\nvs SignalR: against the minimal hub with JSON clients; same protocol: against the minimal hub (and the Deliver-shape hub) whose clients speak the row's protocol.\n");
        text.Append(CultureInfo.InvariantCulture, $"\n| system | subscribers | deliveries/s | vs SignalR | vs SignalR, same protocol | vs Deliver shape, same protocol | CPU proc / host | p50 ms @ {rate}/s | p99 ms @ {rate}/s | sent/s | delivered |\n");
        text.Append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var row in rows)
        {
            var ratio = Ratio(row, rows, SignalRFanout.PlainName);
            var sameProtocol = Ratio(row, rows, SignalRFanout.PlainName + row.Protocol.Suffix());
            var shapeRatio = Ratio(row, rows, SignalRFanout.DeliverShapeName + row.Protocol.Suffix());
            text.Append(CultureInfo.InvariantCulture, $"| {row.System} | {row.Subscribers} | **{row.DeliveriesPerSecond:N0}** | {ratio} | {sameProtocol} | {shapeRatio} | {row.Cpu.Process:0}% / {row.Cpu.Host:0}% | {Ms(row.P50)} | **{Ms(row.P99)}** | {row.SentPerSecond:N0} | {(row.SentPerSecond > 0 ? row.Delivered.ToString("P1", CultureInfo.InvariantCulture) : "—")} |\n");
        }

        text.Append('\n').Append(Goals(options, rows));
        return text.ToString();
    }

    private static string Ratio(FanoutRow row, List<FanoutRow> rows, string baseline)
    {
        var other = rows.FirstOrDefault(r => r.Subscribers == row.Subscribers && r.System == baseline);
        return other is null || other.DeliveriesPerSecond == 0 ? "" : (row.DeliveriesPerSecond / other.DeliveriesPerSecond).ToString("P0", CultureInfo.InvariantCulture);
    }

    private static string Goals(FanoutOptions options, List<FanoutRow> rows)
    {
        var text = new StringBuilder();
        var signalR = rows.FirstOrDefault(r => r.Subscribers == 10 && r.System == SignalRFanout.PlainName);
        var tens = rows.Where(r => r.Subscribers == 10 && r.System.StartsWith("ActorMessaging", StringComparison.Ordinal)).ToList();
        if (tens.Count == 0 || signalR is null)
        {
            text.Append("Goal 1 (≥ 70% of the minimal SignalR hub's deliveries/s to 10 subscribers): not evaluated (run with 10 subscribers and the minimal hub on JSON).\n");
        }

        foreach (var am in signalR is null ? [] : tens)
        {
            var ratio = am.DeliveriesPerSecond / signalR!.DeliveriesPerSecond;
            var same = rows.FirstOrDefault(r => r.Subscribers == 10 && r.System == SignalRFanout.PlainName + am.Protocol.Suffix());
            var sameText = am.Protocol == FanoutProtocol.Json || same is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; against the minimal hub with MessagePack clients too: {am.DeliveriesPerSecond / same.DeliveriesPerSecond:P0}");
            text.Append(CultureInfo.InvariantCulture, $"Goal 1 (≥ 70% of the minimal SignalR hub's deliveries/s to 10 subscribers), {am.System}: **{(ratio >= 0.7 ? "met" : "missed")}** ({am.DeliveriesPerSecond:N0} vs {signalR.DeliveriesPerSecond:N0} = {ratio:P0}{sameText}).\n");
        }

        var amRows = rows.Where(r => r.System.StartsWith("ActorMessaging", StringComparison.Ordinal)).ToList();
        if (options.Store != BenchStore.Sqlite || options.Rate != 5000)
        {
            text.Append("Goal 2 (p99 < 20 ms at 5,000 msg/s, durable publishing): not evaluated (needs --store sqlite and --rate 5000).\n");
        }
        else
        {
            foreach (var row in amRows)
            {
                var met = row.P99 < 20 && row.Delivered >= 0.999 && row.SentPerSecond >= 0.99 * options.Rate;
                text.Append(CultureInfo.InvariantCulture, $"Goal 2 (p99 < 20 ms at 5,000 msg/s, durable publishing) with {row.Subscribers} subscriber(s): **{(met ? "met" : "missed")}** (p99 {Ms(row.P99)} ms, {row.SentPerSecond:N0} msg/s sent, {row.Delivered:P1} delivered).\n");
            }
        }

        return text.ToString();
    }

    // NaN: nothing was sent in the window (the system was still behind from the warm-up).
    private static string Ms(double milliseconds) => double.IsNaN(milliseconds) ? "—" : milliseconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

/// <summary>One system × subscriber count.</summary>
internal sealed record FanoutRow(string System, FanoutProtocol Protocol, int Subscribers, double DeliveriesPerSecond, CpuUse Cpu, double P50, double P99, double Delivered, double SentPerSecond);
