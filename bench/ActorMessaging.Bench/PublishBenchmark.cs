using System.Diagnostics;
using System.Globalization;
using ActorMessaging.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorMessaging.Bench;

/// <summary>The <c>publish</c> command: for each store, the raw baselines, then every (publishers × batch) cell.</summary>
internal static class PublishBenchmark
{
    public static async Task<int> RunAsync(PublishBenchmarkOptions options, string[] commandLine, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var payloads = new PayloadPool(options.PayloadBytes);
        var results = new List<CellResult>();
        var versions = new List<string>();
        var machine = new List<string>
        {
            $"at start: load average {MachineState.LoadAverage():0.0}, {MachineState.FlushesPerSecond(TimeSpan.FromSeconds(1)):N0} fsyncs/s (4 KiB overwrites in the temp folder)",
        };
        Progress(machine[0]);
        try
        {
            foreach (var store in options.Stores)
            {
                Progress($"{store}: starting");
                switch (store)
                {
                    case BenchStore.Postgres:
                        await RunPostgresAsync(options, payloads, results, versions, cancellationToken);
                        break;
                    case BenchStore.Sqlite:
                        await RunSqliteAsync(options, payloads, results, versions, cancellationToken);
                        break;
                    default:
                        await RunCellsAsync(BenchStore.Memory, null, options, payloads, results, cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Progress("cancelled; printing what was measured");
        }

        machine.Add($"at end: load average {MachineState.LoadAverage():0.0}, {MachineState.FlushesPerSecond(TimeSpan.FromSeconds(1)):N0} fsyncs/s; whole run {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        Progress(machine[1]);
        await Console.Out.WriteAsync(ResultsTable.Format(options, commandLine, machine, versions, results));
        return results.Any(r => r.Errors > 0) ? 2 : 0;
    }

    private static async Task RunPostgresAsync(PublishBenchmarkOptions options, PayloadPool payloads, List<CellResult> results, List<string> versions, CancellationToken cancellationToken)
    {
        if (PostgresServer.SkipReason is { } reason)
        {
            Progress($"Postgres: skipped: {reason}");
            return;
        }

        await using var server = await PostgresServer.StartAsync(cancellationToken);
        CpuSample.PostmasterId = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var connectionString = await server.CreateDatabaseAsync("bench", cancellationToken);
        versions.Add(await PostgresVersionAsync(connectionString, cancellationToken));
        if (options.Raw)
        {
            foreach (var writers in options.RawWriters)
            {
                Progress($"Postgres: raw INSERT, {writers} writer(s) x {options.RawBatch} rows/tx");
                results.Add(await CellResult.MedianOfAsync(options.Repeat, async () =>
                {
                    var fsyncs = FsyncProbe();
                    return Report(await RawInsertBaseline.RunPostgresAsync(connectionString, writers, options.RawBatch, payloads, options, cancellationToken) with { FsyncsPerSecond = fsyncs });
                }));
            }
        }

        // Pooled connections of the baseline would otherwise sit idle on the server during the publish cells.
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunCellsAsync(BenchStore.Postgres, connectionString, options, payloads, results, cancellationToken);
        }
        finally
        {
            CpuSample.PostmasterId = null;
        }
    }

    private static async Task RunSqliteAsync(PublishBenchmarkOptions options, PayloadPool payloads, List<CellResult> results, List<string> versions, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("am-bench-");
        try
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder.FullName, "bench.db") }.ToString();
            versions.Add($"SQLite {SqliteVersion(connectionString)} (WAL, synchronous=FULL) in {folder.FullName}");
            if (options.Raw)
            {
                Progress($"Sqlite: raw INSERT, 1 writer x {options.RawBatch} rows/tx");
                results.Add(await CellResult.MedianOfAsync(options.Repeat, async () =>
                {
                    var fsyncs = FsyncProbe();
                    return Report(await RawInsertBaseline.RunSqliteAsync(connectionString, options.RawBatch, payloads, options, cancellationToken) with { FsyncsPerSecond = fsyncs });
                }));
            }

            await RunCellsAsync(BenchStore.Sqlite, connectionString, options, payloads, results, cancellationToken);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task RunCellsAsync(BenchStore store, string? connectionString, PublishBenchmarkOptions options, PayloadPool payloads, List<CellResult> results, CancellationToken cancellationToken)
    {
        await using var silo = await BenchSilo.StartAsync(store, connectionString, cancellationToken);
        foreach (var batch in options.Batches)
        {
            foreach (var publishers in options.Publishers)
            {
                Progress($"{store}: publish, {publishers} publisher(s) x batch {batch}");
                results.Add(await CellResult.MedianOfAsync(options.Repeat, async () =>
                {
                    var fsyncs = FsyncProbe();
                    return Report(await PublishCell.RunAsync(silo, store, publishers, batch, payloads, options, cancellationToken) with { FsyncsPerSecond = fsyncs });
                }));
            }
        }

        Progress($"{store}: stopping the silo");
    }

    private static CellResult Report(CellResult result)
    {
        var commits = result.Commits is { } c ? $", {c.WritesPerSecond:0} commits/s x {c.MessagesPerWrite:0.#} msgs, log busy {c.BusyPercent:0}%" : "";
        Progress($"  {result.MessagesPerSecond:N0} msgs/s (disk {result.FsyncsPerSecond:N0} fsyncs/s before), p50 {result.P50Milliseconds:0.00} ms, p99 {result.P99Milliseconds:0.00} ms{commits}, CPU {result.Cpu.Process:0}% process / {result.Cpu.Postgres:0}% postgres / {result.Cpu.Host:0}% host");
        return result;
    }

    // Half a second of fsyncs before each cell: the disk is shared, and its speed bounds every durable cell.
    private static double FsyncProbe() => MachineState.FlushesPerSecond(TimeSpan.FromMilliseconds(500));

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");

    private static async Task<string> PostgresVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version') || ' (fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', wal_sync_method=' || current_setting('wal_sync_method') || ')'", connection);
        return $"PostgreSQL {await command.ExecuteScalarAsync(cancellationToken)}";
    }

    private static string SqliteVersion(string connectionString)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version();";
        return (string)command.ExecuteScalar()!;
    }
}
