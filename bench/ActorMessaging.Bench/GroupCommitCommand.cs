using System.Globalization;
using System.Text;
using ActorMessaging.Testing;
using Npgsql;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>group-commit [--publishers LIST] [--depth LIST] [--seconds N]</c>: the <see cref="GroupCommitModel"/> on a
/// throwaway PostgreSQL, single-message publishers, for several commit depths.
/// </summary>
internal static class GroupCommitCommand
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- group-commit [options]

        What-if model of the topic's group commit directly on PostgreSQL (no Orleans): single-message publishers,
        one row per chunk, with 1 (today's TopicGrain) or more chunk writes in flight.

          --publishers LIST   concurrent single-message publishers. Default: 16,64
          --depth LIST        chunk writes in flight. Default: 1,2,4
          --seconds N         measured seconds per cell (after 2 s warm-up). Default: 5
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine)
    {
        PublishBenchmarkOptions options;
        try
        {
            options = PublishBenchmarkOptions.Parse(Translate(args.Span));
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message.Replace("--batch", "--depth", StringComparison.Ordinal));
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        var depths = options.Batches;
        var payloads = new PayloadPool(options.PayloadBytes);

        await using var server = await PostgresServer.StartAsync();
        var connectionString = await server.CreateDatabaseAsync("bench");
        CpuSample.PostmasterId = int.Parse(File.ReadLines(Path.Combine(server.DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        await using var database = NpgsqlDataSource.Create(connectionString);
        await GroupCommitModel.CreateTableAsync(database);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Group-commit model on PostgreSQL, {options.PayloadBytes}-byte single-message publishers\n\n");
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`\n\n");
        text.Append("| publishers | depth | msgs/s | p50 ms | p99 ms | commits/s | msgs/commit | CPU proc/pg/host | disk fsyncs/s |\n");
        text.Append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var publishers in options.Publishers)
        {
            foreach (var depth in depths)
            {
                var fsyncs = MachineState.FlushesPerSecond(TimeSpan.FromMilliseconds(500));
                var model = new GroupCommitModel(database, depth);
                long commitsAtStart = 0;
                double commitsPerSecond = 0;
                var outcome = await MeasuredLoad.RunAsync(
                    publishers,
                    publisher => async iteration =>
                    {
                        await model.PublishAsync(payloads.Get((publisher * 8) + (iteration % 8)));
                        return 1;
                    },
                    options.Warmup,
                    options.Measure,
                    onWindowStart: () => commitsAtStart = model.Commits,
                    onWindowEnd: elapsed => commitsPerSecond = (model.Commits - commitsAtStart) / elapsed.TotalSeconds,
                    CancellationToken.None);
                var line = $"| {publishers} | {depth} | **{outcome.MessagesPerSecond:N0}** | {outcome.P50Milliseconds:0.00} | {outcome.P99Milliseconds:0.00} | {commitsPerSecond:N0} | {outcome.MessagesPerSecond / commitsPerSecond:0.#} | {outcome.Cpu.Process:0}% / {outcome.Cpu.Postgres:0}% / {outcome.Cpu.Host:0}% | {fsyncs:N0} |";
                await Console.Error.WriteLineAsync(line);
                text.Append(line).Append('\n');
            }
        }

        CpuSample.PostmasterId = null;
        await Console.Out.WriteAsync(text.ToString());
        return 0;
    }

    // --depth reuses the publish options' list parsing (as --batch).
    private static string[] Translate(ReadOnlySpan<string> args)
    {
        var translated = args.ToArray().Select(a => a == "--depth" ? "--batch" : a).ToList();
        if (!translated.Contains("--publishers"))
        {
            translated.AddRange(["--publishers", "16,64"]);
        }

        if (!translated.Contains("--batch"))
        {
            translated.AddRange(["--batch", "1,2,4"]);
        }

        return [.. translated];
    }
}
