using System.Globalization;
using System.Text;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>memory</c>: what an active topic with one subscription costs in memory, and what a push consumer adds to its
/// subscription (issue 17). An in-process silo on the embedded SQLite store; after a warm-up it creates N topics,
/// each with one subscription and one 256-byte message, then attaches a push consumer to M of the subscriptions (each
/// takes the message on a lease, as a live consumer does). After each step a full compacting GC; the managed heap and
/// the process RSS are read. Repeats run in fresh silos; medians are reported.
/// </summary>
internal static class MemoryCommand
{
    private const int Callers = 32;

    public static string Usage => """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- memory [options]

        Memory per active topic with one subscription (and one message), and per push consumer, in an in-process silo.

          --pairs N       topics (each with one subscription) per repeat. Default: 20000
          --consumers M   subscriptions that get a push consumer. Default: 5000
          --repeat R      repeats, each in a fresh silo; medians are reported. Default: 3
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine)
    {
        var (pairs, consumers, repeat) = (20_000, 5_000, 3);
        try
        {
            for (var i = 0; i < args.Length; i += 2)
            {
                var option = args.Span[i];
                var value = i + 1 < args.Length ? args.Span[i + 1] : string.Empty;
                switch (option)
                {
                    case "--pairs":
                        pairs = OptionNumber.Parse(option, value, 1, 1_000_000);
                        break;
                    case "--consumers":
                        consumers = OptionNumber.Parse(option, value, 1, 1_000_000);
                        break;
                    case "--repeat":
                        repeat = OptionNumber.Parse(option, value, 1, 20);
                        break;
                    default:
                        throw new ArgumentException($"Unknown option '{option}'.");
                }
            }
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine($"{exception.Message}{Environment.NewLine}{Usage}");
            return 1;
        }

        consumers = Math.Min(consumers, pairs);
        var runs = new List<MemoryRun>();
        for (var r = 0; r < repeat; r++)
        {
            var run = await MemoryRun.MeasureAsync(pairs, consumers, Callers);
            Console.Error.WriteLine($"repeat {r + 1}: {run}");
            runs.Add(run);
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}` ({pairs:N0} topics with a subscription and a 256-byte message, {consumers:N0} push consumers; SQLite; medians of {repeat} fresh silos)\n\n");
        text.Append("| what | managed heap | RSS | runs (managed heap) |\n|---|--:|--:|---|\n");
        Row(text, "active topic + subscription", runs, r => r.HeapPerPair, r => r.RssPerPair);
        Row(text, "push consumer on a subscription (adds)", runs, r => r.HeapPerConsumer, r => r.RssPerConsumer);
        Console.Out.Write(text);
        return 0;
    }

    private static void Row(StringBuilder text, string what, List<MemoryRun> runs, Func<MemoryRun, double> heap, Func<MemoryRun, double> rss) =>
        text.Append(CultureInfo.InvariantCulture,
            $"| {what} | {Kb(Median(runs, heap))} | {Kb(Median(runs, rss))} | {string.Join(", ", runs.Select(r => Kb(heap(r))))} |\n");

    private static double Median(List<MemoryRun> runs, Func<MemoryRun, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Kb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024:N1} KB");
}
