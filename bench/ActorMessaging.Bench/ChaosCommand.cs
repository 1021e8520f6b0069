using System.Globalization;
using System.Text;
using ActorMessaging.E2E.Tests.Chaos;
using ActorMessaging.Testing;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>chaos</c>: every chaos scenario of the E2E suite (CI runs two of them) on 3 silo processes and 2 standalone gateway
/// processes on a PostgreSQL the command starts from the machine's binaries, and the table the README quotes.
/// </summary>
internal static class ChaosCommand
{
    public static string Usage => $"""
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- chaos [options]

        Faults real silo processes under SDK load (4 topics, 8 publishers on every gateway, processors on at-least-once
        and exactly-once subscriptions) and checks that nothing acknowledged is lost, no sequence is reused, every
        acknowledged publish is delivered, exactly-once acks stay final, backlogs drain and stalls keep their bound.

          --scenarios A,B   which to run, of {string.Join(", ", ChaosScenario.All.Select(s => s.Key))}. Default: all
          --repeat N        run each scenario N times. Default: 1
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args, string[] commandLine)
    {
        IReadOnlyList<ChaosScenario> scenarios = ChaosScenario.All;
        var repeat = 1;
        var span = args.Span;
        for (var i = 0; i < span.Length; i += 2)
        {
            var value = i + 1 < span.Length ? span[i + 1] : string.Empty;
            switch (span[i])
            {
                case "--scenarios":
                    var keys = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    scenarios = [.. keys.Select(k => ChaosScenario.All.SingleOrDefault(s => s.Key == k) ?? throw new ArgumentException($"Unknown scenario '{k}'."))];
                    break;
                case "--repeat" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 20:
                    repeat = n;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown or invalid option '{span[i]}'.{Environment.NewLine}{Usage}");
                    return 1;
            }
        }

        var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        try
        {
            var results = new List<ChaosResult>();
            foreach (var scenario in scenarios)
            {
                for (var round = 0; round < repeat; round++)
                {
                    Console.Out.WriteLine($"== {scenario.Name} (run {round + 1} of {repeat})");
                    results.Add(await ChaosRun.RunAsync(postgres, scenario, Console.Out.WriteLine));
                }
            }

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project bench/ActorMessaging.Bench -- {string.Join(' ', commandLine)}`\n\n");
            text.AppendLine(ChaosResult.Header);
            foreach (var result in results)
            {
                text.AppendLine(result.Row);
            }

            Console.Out.WriteLine();
            Console.Out.Write(text);
            return results.All(r => r.Passed) ? 0 : 2;
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}
