using System.Globalization;
using System.Text;
using ActorMessaging.Filters;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>semantics</c>: what each messaging-semantics feature costs in publish and delivery throughput, each beside a
/// baseline cell (the same load without the feature) in the same run and the same silo.
/// </summary>
internal static class SemanticsCommand
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- semantics [options]

        Publish and delivery throughput of one topic with N pull subscriptions (2 pullers each, pull 500 + ack),
        8 publishers of 100-message batches, per feature cell beside the baseline cell; plus filter evaluation cost.

          --seconds N         measured seconds per cell (after 2 s warm-up). Default: 5
          --subscriptions N   subscriptions on the topic. Default: 4
          --publishers N      concurrent publishers. Default: 8
          --repeat N          run the cells N times, interleaved, each round starting at another cell. Default: 1
          --store S           memory or sqlite. Default: memory
        """;

    private const string Filter = "color = 'red' AND priority >= 2";

    public sealed record Options(TimeSpan Measure, TimeSpan Warmup, int Subscriptions, int Publishers, int Repeat, BenchStore Store);

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine)
    {
        Options options;
        try
        {
            options = Parse(args.Span);
        }
        catch (ArgumentException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 1;
        }

        var folder = Directory.CreateTempSubdirectory("am-sem-bench");
        try
        {
            await using var silo = await BenchSilo.StartAsync(options.Store, $"Data Source={Path.Combine(folder.FullName, "bench.db")}", CancellationToken.None);
            var payloads = new PayloadPool(256);
            var cells = Cells();
            var results = cells.ToDictionary(c => c.Name, _ => new List<SemanticsLoad.Outcome>());

            // One unrecorded round first, so JIT tiering and the silo's warm-up do not land on whichever cell runs first.
            await SemanticsLoad.RunAsync(silo.Grains, cells[0], options, payloads);
            for (var round = 0; round < options.Repeat; round++)
            {
                // Each round starts at another cell, so drift in machine load spreads over all of them.
                for (var i = 0; i < cells.Count; i++)
                {
                    var cell = cells[(i + round) % cells.Count];
                    results[cell.Name].Add(await SemanticsLoad.RunAsync(silo.Grains, cell, options, payloads));
                }
            }

            await Console.Out.WriteAsync(Report(options, commandLine, results));
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static List<SemanticsCell> Cells() =>
    [
        new("baseline", new SubscriptionSettings(), (i, data) => Colored(i, data)),
        new("filter (half match)", new SubscriptionSettings { Filter = Filter }, (i, data) => Colored(i, data)),
        new("ttl 1 h on every message", new SubscriptionSettings(), (i, data) => Colored(i, data) with { TimeToLive = TimeSpan.FromHours(1) }),
        new("ordering keys (1,000 keys)", new SubscriptionSettings(), (i, data) => Colored(i, data) with { OrderingKey = $"k{i % 1000}" }),
        new("exactly-once acks", new SubscriptionSettings { ExactlyOnce = true }, (i, data) => Colored(i, data)),
        new("retainAcked=false", new SubscriptionSettings(), (i, data) => Colored(i, data), new TopicSettings { RetainAckedMessages = false }),
    ];

    // Half of the messages are red with priority >= 2, so a filtered subscription delivers half of them.
    private static OutgoingMessage Colored(long index, ReadOnlyMemory<byte> data) =>
        new(null, data, "application/octet-stream", new Dictionary<string, string>
        {
            ["color"] = index % 2 == 0 ? "red" : "blue",
            ["priority"] = (2 + (index % 3)).ToString(CultureInfo.InvariantCulture),
        });

    private static string Report(Options options, string[] commandLine, Dictionary<string, List<SemanticsLoad.Outcome>> results)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### Messaging semantics cost, {options.Store} store, {options.Subscriptions} pull subscriptions, {options.Publishers} publishers x 100\n\n");
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}` (medians of {options.Repeat})\n\n");
        text.Append("| cell | published/s | vs baseline | delivered/s (all subscriptions) | vs baseline | backlog at end |\n|---|---|---|---|---|---|\n");
        var baseline = Median(results["baseline"]);
        foreach (var (name, outcomes) in results)
        {
            var median = Median(outcomes);
            text.Append(CultureInfo.InvariantCulture,
                $"| {name} | {median.PublishedPerSecond:N0} | {median.PublishedPerSecond / baseline.PublishedPerSecond:F2} | {median.DeliveredPerSecond:N0} | {median.DeliveredPerSecond / baseline.DeliveredPerSecond:F2} | {median.Backlog:N0} |\n");
        }

        var messages = Enumerable.Range(0, 64).Select(i => new StoredMessage(i, DateTimeOffset.UnixEpoch, null, ReadOnlyMemory<byte>.Empty, null,
            Colored(i, ReadOnlyMemory<byte>.Empty).Attributes, null)).ToList();
        var nanoseconds = FilterEvaluationProbe.NanosecondsPerEvaluation(Filter, messages, TimeSpan.FromSeconds(2));
        text.Append(CultureInfo.InvariantCulture, $"\nFilter `{Filter}`: {nanoseconds:F0} ns per evaluation on one thread.\n");

        text.Append("The costliest filters the limits accept: `bench filters`.\n");
        return text.ToString();
    }

    private static SemanticsLoad.Outcome Median(List<SemanticsLoad.Outcome> outcomes)
    {
        var sorted = outcomes.OrderBy(o => o.PublishedPerSecond).ToList();
        return sorted[sorted.Count / 2];
    }

    private static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), 4, 8, 1, BenchStore.Memory);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{args[i]}' needs a value.");
            }

            var value = args[i + 1];
            options = args[i] switch
            {
                "--seconds" => options with { Measure = TimeSpan.FromSeconds(Number(args[i], value, 1, 300)) },
                "--subscriptions" => options with { Subscriptions = Number(args[i], value, 1, 100) },
                "--publishers" => options with { Publishers = Number(args[i], value, 1, 256) },
                "--repeat" => options with { Repeat = Number(args[i], value, 1, 20) },
                "--store" => options with
                {
                    Store = value switch
                    {
                        "memory" => BenchStore.Memory,
                        "sqlite" => BenchStore.Sqlite,
                        _ => throw new ArgumentException($"--store must be memory or sqlite, was '{value}'."),
                    },
                },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static int Number(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, was '{value}'.");
}
