using System.Globalization;
using System.Text;
using ActorMessaging.Filters;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>filters</c>: what the costliest filters the limits accept cost per message (issue 12). A filter is at most 4,096
/// characters and every value it reads at most 1,024 (attributes, ordering key; ids and content types are shorter), so
/// those limits are the per-message budget; this measures the worst shapes against the longest values, next to a
/// typical filter in the same run. One thread, no silo.
/// </summary>
internal static class FilterCostCommand
{
    public static string Usage => """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- filters [options]

        Cost per message of the worst filters the limits accept, against a typical filter measured in the same run.

          --repeat N      repeats per filter; the median is reported. Default: 3
          --seconds S     measuring time per repeat. Default: 2
        """;

    public static int Run(ReadOnlySpan<string> args, string[] commandLine)
    {
        var (repeat, seconds) = (3, 2);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var ok = int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 100;
            switch (args[i])
            {
                case "--repeat" when ok:
                    repeat = n;
                    break;
                case "--seconds" when ok:
                    seconds = n;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown or invalid option '{args[i]}'.{Environment.NewLine}{Usage}");
                    return 1;
            }
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}` (medians of {repeat} repeats of {seconds} s, one thread)\n\n");
        text.Append("| filter | characters | value | per message | runs | vs typical |\n|---|--:|---|--:|---|--:|\n");
        double? typical = null;
        foreach (var (name, filter, message) in Filters())
        {
            var runs = Enumerable.Range(0, repeat)
                .Select(_ => FilterEvaluationProbe.NanosecondsPerEvaluation(filter, [message], TimeSpan.FromSeconds(seconds)))
                .Order().ToList();
            var median = runs[runs.Count / 2];
            typical ??= median;
            var value = message.Attributes!["note"];
            text.Append(CultureInfo.InvariantCulture,
                $"| {name} | {filter.Length:N0} | {value.Length:N0} characters | {Format(median)} | {string.Join(", ", runs.Select(Format))} | {median / typical.Value:N0}x |\n");
            Console.Error.WriteLine($"{name}: {Format(median)}");
        }

        Console.Out.Write(text.ToString());
        return 0;
    }

    private static string Format(double nanoseconds) =>
        nanoseconds >= 1_000_000 ? $"{nanoseconds / 1_000_000:F2} ms" : nanoseconds >= 1_000 ? $"{nanoseconds / 1_000:F1} µs" : $"{nanoseconds:F0} ns";

    private static IEnumerable<(string Name, string Filter, StoredMessage Message)> Filters()
    {
        var longest = MessageLimits.MaxAttributeValueLength;
        var letters = Message(new string('a', longest));
        var digits = Message(new string('1', longest));
        yield return ("typical: note = 'red' AND priority >= 2", "note = 'red' AND priority >= 2", Message("red"));

        var room = MessageFilter.MaxLength - "note LIKE ''".Length;
        yield return ("LIKE '%a%a…%b' (2,041 runs)", $"note LIKE '{string.Concat(Enumerable.Repeat("%a", (room - 2) / 2))}%b'", letters);
        yield return ("LIKE one '_a…b' run just shorter than the value", $"note LIKE '%{string.Concat(Enumerable.Repeat("_a", (longest / 2) - 1))}b%'", letters);
        var clause = $"note LIKE '%{string.Concat(Enumerable.Repeat("_a", 31))}b%'";
        yield return ("LIKE of 64-character runs, OR'ed as often as fits", string.Join(" OR ", Enumerable.Repeat(clause, MessageFilter.MaxLength / (clause.Length + 4))), letters);
        var numbers = Enumerable.Repeat("1", (MessageFilter.MaxLength - "note IN ()".Length) / 2).ToList();
        yield return ("IN of 2,043 numbers, value of 1,024 digits", $"note IN ({string.Join(',', numbers)})", digits);
        yield return ("'>' of a 1,024-digit value with a number, OR'ed as often as fits", string.Join(" OR ", Enumerable.Repeat("note > 2", MessageFilter.MaxLength / 12)), digits);
    }

    private static StoredMessage Message(string note) =>
        new(0, DateTimeOffset.UnixEpoch, null, ReadOnlyMemory<byte>.Empty, null, new Dictionary<string, string> { ["note"] = note, ["priority"] = "3" }, null);
}
