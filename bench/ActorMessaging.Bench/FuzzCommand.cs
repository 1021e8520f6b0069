using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using ActorMessaging.Filters;
using ActorMessaging.Gateway.Security;
using ActorMessaging.Testing;
using ActorMessaging.Testing.Fuzz;

namespace ActorMessaging.Bench;

/// <summary>
/// <c>fuzz</c>: the long run of the fuzz suite CI runs briefly (issue 12). Generated requests to every HTTP endpoint of
/// the co-hosted platform (memory storage, in process) for many seeds, and generated filter expressions; any 5xx, any
/// filter refused with another code than 1008 or throwing when evaluated, or a refused publish that stored anything,
/// is printed with its seed and fails the command.
/// </summary>
internal static class FuzzCommand
{
    public static string Usage => """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- fuzz [options]

        Generated hostile input against every HTTP endpoint and the filter language; prints findings with their seeds.

          --seeds N     seeds 1..N. Default: 20
          --rounds N    HTTP requests per seed. Default: 2000
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        var (seeds, rounds) = (20, 2000);
        var span = args.Span;
        for (var i = 0; i + 1 < span.Length; i += 2)
        {
            var ok = int.TryParse(span[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0;
            switch (span[i])
            {
                case "--seeds" when ok && n <= 10_000:
                    seeds = n;
                    break;
                case "--rounds" when ok && n <= 1_000_000:
                    rounds = n;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown or invalid option '{span[i]}'.{Environment.NewLine}{Usage}");
                    return 1;
            }
        }

        // The fuzz sends faster than the default rate limit allows one caller; 429s would only hide endpoints.
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?> { ["ActorMessaging:Gateway:RateLimit:PermitsPerSecond"] = "0" });
        var findings = new List<string>();
        var table = new StringBuilder("| seed | requests | refused (4xx) | 5xx | publishes accepted | stored |\n|--:|--:|--:|--:|--:|--:|\n");
        for (var seed = 1; seed <= seeds; seed++)
        {
            var topic = $"fuzz-{seed.ToString(CultureInfo.InvariantCulture)}";
            (await host.Http.PutAsJsonAsync($"/v1/topics/{topic}", new { })).EnsureSuccessStatusCode();
            (await host.Http.PutAsJsonAsync($"/v1/topics/{topic}/subscriptions/s", new { })).EnsureSuccessStatusCode();
            var outcome = await HttpFuzz.RunAsync(host.Http, [.. GatewayAccessRules.Api.Keys], topic, "s", seed, rounds);
            var stored = (await host.Http.GetFromJsonAsync<Contracts.TopicDescription>($"/v1/topics/{topic}"))!.LastSequence;
            findings.AddRange(outcome.ServerErrors);
            if (stored != outcome.AcceptedPublishes)
            {
                findings.Add($"seed {seed}: {outcome.AcceptedPublishes} publishes accepted but {stored} stored");
            }

            table.Append(CultureInfo.InvariantCulture, $"| {seed} | {outcome.Requests:N0} | {outcome.Refused:N0} | {outcome.ServerErrors.Count} | {outcome.AcceptedPublishes:N0} | {stored:N0} |\n");
            await Console.Error.WriteLineAsync($"seed {seed}: {outcome.ServerErrors.Count} 5xx");
        }

        findings.AddRange(FuzzFilters(seeds, rounds));
        Console.Out.Write(table);
        Console.Out.WriteLine();
        Console.Out.WriteLine(findings.Count == 0 ? "No findings." : string.Join(Environment.NewLine, findings));
        return findings.Count == 0 ? 0 : 2;
    }

    private static IEnumerable<string> FuzzFilters(int seeds, int rounds)
    {
        var message = new StoredMessage(1, DateTimeOffset.UnixEpoch, "id", ReadOnlyMemory<byte>.Empty, null, new Dictionary<string, string> { ["color"] = "red" }, "k");
        for (var seed = 1; seed <= seeds; seed++)
        {
            var inputs = new FuzzInputs(seed);
            for (var round = 0; round < rounds; round++)
            {
                var expression = inputs.Filter();
                string? finding = null;
                try
                {
                    _ = MessageFilter.Compile(expression).Matches(message);
                }
                catch (BrokerException exception) when (exception.Code == ErrorCode.InvalidFilter)
                {
                    // Refused as it should be.
                }
                catch (Exception exception)
                {
                    finding = $"filter seed {seed} round {round}: '{expression}' threw {exception.GetType().Name}: {exception.Message}";
                }

                if (finding is not null)
                {
                    yield return finding;
                }
            }
        }
    }
}
