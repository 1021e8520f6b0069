using System.Globalization;
using System.Text;
using ActorMessaging.Testing;
using Microsoft.Data.Sqlite;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>breakdown [--store LIST] [--messages LIST] [--seconds N]</c>: where one group commit's time goes, per chunk
/// size (see <see cref="ChunkWriteBreakdown"/>).
/// </summary>
internal static class BreakdownCommand
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- breakdown [options]

        Time of one log-chunk write, one at a time as the topic does it, split into serialization, the whole
        storage write, and a plain one-row INSERT of the same bytes.

          --store LIST      sqlite, postgres, memory or all. Default: postgres,sqlite
          --messages LIST   messages per chunk. Default: 1,32,800,3200
          --seconds N       seconds per step and size. Default: 2
          --payload N       payload bytes per message. Default: 256
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine)
    {
        (IReadOnlyList<BenchStore> Stores, IReadOnlyList<int> Sizes, int Seconds, int PayloadBytes) parsed;
        try
        {
            parsed = Parse(args.Span);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        var (stores, sizes, seconds, payloadBytes) = parsed;
        var payloads = new PayloadPool(payloadBytes);
        var rows = new List<BreakdownRow>();
        foreach (var store in stores)
        {
            await Console.Error.WriteLineAsync($"{store}: breakdown");
            switch (store)
            {
                case BenchStore.Postgres:
                    await using (var server = await PostgresServer.StartAsync())
                    {
                        var connectionString = await server.CreateDatabaseAsync("bench");
                        await using var silo = await BenchSilo.StartAsync(store, connectionString, CancellationToken.None);
                        rows.AddRange(await ChunkWriteBreakdown.RunAsync(silo, store, connectionString, sizes, TimeSpan.FromSeconds(seconds), payloads));
                    }

                    break;
                case BenchStore.Sqlite:
                    var folder = Directory.CreateTempSubdirectory("am-bench-");
                    try
                    {
                        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder.FullName, "bench.db") }.ToString();
                        await using var silo = await BenchSilo.StartAsync(store, connectionString, CancellationToken.None);
                        rows.AddRange(await ChunkWriteBreakdown.RunAsync(silo, store, connectionString, sizes, TimeSpan.FromSeconds(seconds), payloads));
                    }
                    finally
                    {
                        folder.Delete(recursive: true);
                    }

                    break;
                default:
                    await using (var silo = await BenchSilo.StartAsync(store, null, CancellationToken.None))
                    {
                        rows.AddRange(await ChunkWriteBreakdown.RunAsync(silo, store, null, sizes, TimeSpan.FromSeconds(seconds), payloads));
                    }

                    break;
            }
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### One log-chunk write, {payloadBytes}-byte messages\n\n");
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- {Environment.ProcessorCount} cores; load average {MachineState.LoadAverage():0.0}; {MachineState.FlushesPerSecond(TimeSpan.FromSeconds(1)):N0} fsyncs/s at the end\n\n");
        text.Append("| store | msgs/chunk | chunk bytes | serialize p50 ms | storage write p50 ms (n) | raw 1-row INSERT of the same bytes p50 ms (n) | write − serialize − raw |\n");
        text.Append("|---|--:|--:|--:|--:|--:|--:|\n");
        foreach (var row in rows)
        {
            var rest = row.StorageWrite.P50 - row.Serialize.P50 - row.RawInsert.P50;
            text.Append(CultureInfo.InvariantCulture,
                $"| {row.Store} | {row.Messages:N0} | {row.SerializedBytes:N0} | {row.Serialize.P50:0.000} | {row.StorageWrite.P50:0.00} ({row.StorageWrite.Count}) | {(double.IsNaN(row.RawInsert.P50) ? "–" : $"{row.RawInsert.P50:0.00} ({row.RawInsert.Count})")} | {(double.IsNaN(rest) ? "–" : $"{rest:0.00}")} |\n");
        }

        await Console.Out.WriteAsync(text.ToString());
        return 0;
    }

    private static (IReadOnlyList<BenchStore> Stores, IReadOnlyList<int> Sizes, int Seconds, int PayloadBytes) Parse(ReadOnlySpan<string> args)
    {
        IReadOnlyList<BenchStore> stores = [BenchStore.Postgres, BenchStore.Sqlite];
        IReadOnlyList<int> sizes = [1, 32, 800, 3200];
        var seconds = 2;
        var payloadBytes = 256;
        if (args.Length % 2 != 0)
        {
            throw new ArgumentException($"Option '{args[^1]}' needs a value.");
        }

        for (var i = 0; i < args.Length; i += 2)
        {
            var (name, value) = (args[i], args[i + 1]);
            switch (name)
            {
                case "--store":
                    stores = PublishBenchmarkOptions.Parse(["--store", value]).Stores;
                    break;
                case "--messages":
                    sizes = PublishBenchmarkOptions.Parse(["--publishers", value]).Publishers;
                    break;
                case "--seconds":
                    seconds = (int)PublishBenchmarkOptions.Parse(["--seconds", value]).Measure.TotalSeconds;
                    break;
                case "--payload":
                    payloadBytes = PublishBenchmarkOptions.Parse(["--payload", value]).PayloadBytes;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return (stores, sizes, seconds, payloadBytes);
    }
}
