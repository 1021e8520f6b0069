using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ActorMessaging.Bench;

/// <summary>The Markdown report: machine, command, one table, the goals.</summary>
internal static class ResultsTable
{
    private const double BatchedGoal = 50_000;
    private const double SingleGoal = 15_000;
    private const int SingleGoalPublishers = 64;

    public static string Format(PublishBenchmarkOptions options, string[] commandLine, IReadOnlyList<string> machine, IReadOnlyList<string> versions, IReadOnlyList<CellResult> results)
    {
        var text = new StringBuilder();
        Line(text, $"### Durable publish throughput, one topic, {options.PayloadBytes}-byte messages");
        Line(text);
        Line(text, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`");
        Line(text);
        Line(text, $"- Machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Server GC, one process for silo and load");
        Line(text, $"- Machine state (shared machine: read the table against it): {string.Join("; ", machine)}");
        foreach (var version in versions)
        {
            Line(text, $"- {version}");
        }

        var repeat = options.Repeat > 1 ? $"; each cell run {options.Repeat} times, the median run shown with the range of msgs/s" : "";
        Line(text, $"- Each cell: {options.Warmup.TotalSeconds:0} s warm-up, then {options.Measure.TotalSeconds:0} s measured; a fresh topic per cell; message ids {(options.MessageIds ? "unique (duplicate detection on)" : "none")}{repeat}");
        Line(text);
        Line(text, "| store | workload | conc. | batch | msgs/s | % of raw | p50 ms | p99 ms | commits/s | msgs/commit | commit p50 ms | log busy | CPU proc/pg/host | msgs/CPU-s | disk fsyncs/s |");
        Line(text, "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var result in results)
        {
            var raw = RawLimit(results, result.Store);
            var share = result.IsRaw || raw is null ? "" : Percent(result.MessagesPerSecond / raw.Value * 100);
            var (commitsPerSecond, perCommit, commitP50, busy) = result.Commits is { } c
                ? (Number(c.WritesPerSecond), c.MessagesPerWrite.ToString("0.#", CultureInfo.InvariantCulture), Milliseconds(c.WriteP50Milliseconds), Percent(c.BusyPercent))
                : result.IsRaw
                    ? (Number(result.MessagesPerSecond / result.Batch), result.Batch.ToString(CultureInfo.InvariantCulture), Milliseconds(result.P50Milliseconds), "")
                    : ("", "", "", "");
            var errors = result.Errors > 0 ? $" ({result.Errors} errors)" : "";
            if (result.Runs is { Count: > 1 } runs)
            {
                errors += $" ({Number(runs.Min())}–{Number(runs.Max())})";
            }

            Line(text, $"| {StoreName(result.Store)} | {result.Workload} | {result.Concurrency} | {result.Batch} | **{Number(result.MessagesPerSecond)}**{errors} | {share} | {Milliseconds(result.P50Milliseconds)} | {Milliseconds(result.P99Milliseconds)} | {commitsPerSecond} | {perCommit} | {commitP50} | {busy} | {Percent(result.Cpu.Process)} / {Percent(result.Cpu.Postgres)} / {Percent(result.Cpu.Host)} | {(result.IsRaw ? "" : Number(PerCpuSecond(result)))} | {Number(result.FsyncsPerSecond)} |");
        }

        Line(text);
        Line(text, "conc.: concurrent publishers (raw: writers). batch: messages per publish call (raw: rows per transaction). " +
                   "% of raw: msgs/s against the best raw INSERT rows/s of the same database in this run. " +
                   "p50/p99: publish-call latency (raw: transaction). commits: chunk writes of the topic log (its group commits), " +
                   "commit p50 includes serialization; log busy: share of the window with a chunk write in flight (writes of one topic never overlap). " +
                   "CPU: this process (silo + load) / the postgres processes / the whole machine (other tenants included), % of all cores. " +
                   "msgs/CPU-s: msgs/s per core-second used by this process and PostgreSQL together, which is less sensitive to other load on the machine. " +
                   "disk fsyncs/s: 4 KiB overwrite + fsync rate of the temp folder's disk in the half second before the cell; the disk is shared, and every durable cell is bound by it.");
        Line(text);
        AppendGoals(text, results);
        return text.ToString();
    }

    private static void AppendGoals(StringBuilder text, IReadOnlyList<CellResult> results)
    {
        var postgres = results.Where(r => r.Store == BenchStore.Postgres && !r.IsRaw).ToList();
        if (postgres.Count == 0)
        {
            return;
        }

        var batched = postgres.Where(r => r.Batch > 1).MaxBy(r => r.MessagesPerSecond);
        var single = postgres.FirstOrDefault(r => r.Batch == 1 && r.Concurrency == SingleGoalPublishers);
        Line(text, "Goals (PostgreSQL):");
        if (batched is not null)
        {
            Line(text, $"- batched publishers ≥ {Number(BatchedGoal)} msgs/s: {Verdict(batched.MessagesPerSecond, BatchedGoal)} (best: {Number(batched.MessagesPerSecond)} with {batched.Concurrency} × batch {batched.Batch})");
        }

        if (single is not null)
        {
            Line(text, $"- {SingleGoalPublishers} single-message publishers ≥ {Number(SingleGoal)} msgs/s: {Verdict(single.MessagesPerSecond, SingleGoal)} ({Number(single.MessagesPerSecond)})");
        }

        Line(text, "- For reference on this machine: RabbitMQ durable with publisher confirms ≈ 15,000/s; NATS JetStream (file) ≈ 30,000/s.");
    }

    private static double PerCpuSecond(CellResult result) =>
        result.MessagesPerSecond / ((result.Cpu.Process + result.Cpu.Postgres) / 100 * Environment.ProcessorCount);

    private static double? RawLimit(IReadOnlyList<CellResult> results, BenchStore store) =>
        results.Where(r => r.Store == store && r.IsRaw).Select(r => (double?)r.MessagesPerSecond).Max();

    private static string Verdict(double value, double goal) => value >= goal ? "**met**" : "**missed**";

    private static string StoreName(BenchStore store) => store switch
    {
        BenchStore.Postgres => "PostgreSQL",
        BenchStore.Sqlite => "SQLite",
        _ => "memory",
    };

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string Milliseconds(double value) => double.IsFinite(value) ? value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) : "–";

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
