using System.Globalization;
using System.Text;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>sdk [options]</c>: the .NET SDK's publisher and processor throughput beside the raw SignalR client doing the same
/// work against the same in-process platform, SDK and raw taking turns in every repeat (see <see cref="SdkOptions.Usage"/>).
/// </summary>
internal static class SdkCommand
{
    public const string Usage = SdkOptions.Usage;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine)
    {
        SdkOptions options;
        try
        {
            options = SdkOptions.Parse(args.Span);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        var load = MachineState.LoadAverage();
        await Console.Error.WriteLineAsync($"Starting the co-hosted platform ({options.Store}, {options.Protocol} clients)…");
        var rows = new List<SdkRow>();
        await using (var platform = await SdkPlatform.StartAsync(options.Store, options.Protocol))
        {
            foreach (var callers in options.Callers)
            {
                rows.Add(await CellAsync(
                    $"publish, {callers} concurrent caller{(callers == 1 ? "" : "s")}",
                    options,
                    () => SdkWorkloads.SdkPublishAsync(platform, callers, options),
                    () => SdkWorkloads.RawPublishAsync(platform, callers, options)));
            }

            foreach (var concurrency in options.Concurrency)
            {
                rows.Add(await CellAsync(
                    $"process, MaxConcurrentCalls {concurrency}",
                    options,
                    () => SdkWorkloads.SdkProcessAsync(platform, concurrency, options),
                    () => SdkWorkloads.RawProcessAsync(platform, options)));
            }
        }

        await Console.Out.WriteAsync(Report(options, commandLine, load, rows));
        return 0;
    }

    private static async Task<SdkRow> CellAsync(string workload, SdkOptions options, Func<Task<SdkRate>> sdk, Func<Task<SdkRate>> raw)
    {
        var (sdkRates, rawRates) = (new List<SdkRate>(), new List<SdkRate>());

        // A first round that is not counted: both paths JIT-compiled and tiered up before anything is measured.
        await Console.Error.WriteLineAsync($"{workload}: warm-up round (not counted)");
        await sdk();
        await raw();
        for (var run = 0; run < options.Repeat; run++)
        {
            // Turns alternate, so a slow phase of the shared machine hits both alike.
            var sdkFirst = run % 2 == 0;
            foreach (var isSdk in sdkFirst ? [true, false] : new[] { false, true })
            {
                var rate = await (isSdk ? sdk() : raw());
                (isSdk ? sdkRates : rawRates).Add(rate);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{workload}, run {run + 1}: {(isSdk ? "SDK" : "raw SignalR")} {rate.PerSecond:N0} msgs/s, {rate.CpuMicroseconds:0.0} CPU µs/msg"));
            }
        }

        return new SdkRow(workload, sdkRates, rawRates);
    }

    private static string Report(SdkOptions options, string[] commandLine, double load, List<SdkRow> rows)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"## SDK vs raw SignalR client ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Co-hosted platform in-process ({options.Store} storage), {SdkOptions.PayloadBytes}-byte messages, {options.Protocol} hub protocol for both clients, {options.Warmup.TotalSeconds:0} s warm-up + {options.Measure.TotalSeconds:0} s measured per run, {options.Repeat} run{(options.Repeat == 1 ? "" : "s")} per cell after an uncounted warm-up round (median, range), prefetch {options.Prefetch}, {Environment.ProcessorCount} cores, load average {load:0.0} at the start.");
        report.AppendLine();
        report.AppendLine("| workload | SDK msgs/s | raw SignalR msgs/s | throughput SDK / raw | CPU µs/msg SDK | CPU µs/msg raw | SDK CPU cost |");
        report.AppendLine("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var row in rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {row.Workload} | {row.Sdk:N0} ({row.SdkRates.Min(r => r.PerSecond):N0}–{row.SdkRates.Max(r => r.PerSecond):N0}) | {row.Raw:N0} ({row.RawRates.Min(r => r.PerSecond):N0}–{row.RawRates.Max(r => r.PerSecond):N0}) | {row.Sdk / row.Raw:0.00} | {row.SdkCpu:0.0} | {row.RawCpu:0.0} | {((row.SdkCpu / row.RawCpu) - 1) * 100:+0;-0;0}% |");
        }

        report.AppendLine();
        report.AppendLine("CPU µs/msg is this process's CPU time (platform, clients and load loop together) per message in the measured window: the same server work on both sides, so the difference is the client's. On a shared machine it varies much less than throughput.");
        report.AppendLine();
        var throughputMet = rows.All(r => r.Sdk / r.Raw >= 0.9);
        var cpuMet = rows.All(r => r.SdkCpu / r.RawCpu <= 1.1);
        report.AppendLine(CultureInfo.InvariantCulture, $"Goal: the SDK costs at most 10% against the raw client — throughput (median) {(throughputMet ? "met" : "not met")} in every cell; CPU per message (median) {(cpuMet ? "met" : "not met")} in every cell.");
        return report.ToString();
    }

    private sealed record SdkRow(string Workload, List<SdkRate> SdkRates, List<SdkRate> RawRates)
    {
        public double Sdk => Median([.. SdkRates.Select(r => r.PerSecond)]);

        public double Raw => Median([.. RawRates.Select(r => r.PerSecond)]);

        public double SdkCpu => Median([.. SdkRates.Select(r => r.CpuMicroseconds)]);

        public double RawCpu => Median([.. RawRates.Select(r => r.CpuMicroseconds)]);

        private static double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }
}
