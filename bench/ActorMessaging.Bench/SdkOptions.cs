using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>Command-line options of <c>sdk</c>.</summary>
internal sealed class SdkOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- sdk [options]

        The .NET SDK (ActorMessaging.Client) beside the raw Microsoft.AspNetCore.SignalR.Client doing the same work on
        the same hub, against the co-hosted platform (silo + gateway) in this process on 127.0.0.1. Publish: one client,
        N callers in a closed loop, one message per call, each returning once durable. Process: one consumer draining a
        backlog, acking every message; the SDK's processor with MaxConcurrentCalls C, the raw client acking each Deliver batch.

          --callers LIST      concurrent publish callers per cell. Default: 1,64
          --concurrency LIST  the processor's MaxConcurrentCalls per cell. Default: 1,16
          --seconds N         measured seconds per run (after the warm-up). Default: 3
          --warmup N          seconds before measuring, in every run. Default: 1
          --prefetch N        unacked deliveries per consumer (PrefetchCount / hub maxInFlight). Default: 100
          --repeat N          runs per cell, SDK and raw taking turns; the median is reported. Default: 5
          --store S           platform storage: memory or sqlite (durable, temp folder). Default: memory
          --protocol P        hub protocol of both the SDK and the raw client: json or msgpack (the SDK's default). Default: json
        """;

    public const int PayloadBytes = 256;

    public IReadOnlyList<int> Callers { get; private set; } = [1, 64];

    public IReadOnlyList<int> Concurrency { get; private set; } = [1, 16];

    public TimeSpan Measure { get; private set; } = TimeSpan.FromSeconds(3);

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(1);

    public int Prefetch { get; private set; } = 100;

    public int Repeat { get; private set; } = 5;

    public BenchStore Store { get; private set; } = BenchStore.Memory;

    public FanoutProtocol Protocol { get; private set; } = FanoutProtocol.Json;

    public static SdkOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new SdkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{name}' needs a value.");
            switch (name)
            {
                case "--callers":
                    options.Callers = List(name, value, 1, 1000);
                    break;
                case "--concurrency":
                    options.Concurrency = List(name, value, 1, 1000);
                    break;
                case "--seconds":
                    options.Measure = TimeSpan.FromSeconds(OptionNumber.Parse(name, value, 1, 120));
                    break;
                case "--warmup":
                    options.Warmup = TimeSpan.FromSeconds(OptionNumber.Parse(name, value, 0, 60));
                    break;
                case "--prefetch":
                    options.Prefetch = OptionNumber.Parse(name, value, 1, 10000);
                    break;
                case "--repeat":
                    options.Repeat = OptionNumber.Parse(name, value, 1, 20);
                    break;
                case "--store":
                    options.Store = value switch
                    {
                        "memory" => BenchStore.Memory,
                        "sqlite" => BenchStore.Sqlite,
                        _ => throw new ArgumentException($"--store must be memory or sqlite, was '{value}'."),
                    };
                    break;
                case "--protocol":
                    options.Protocol = value switch
                    {
                        "json" => FanoutProtocol.Json,
                        "msgpack" => FanoutProtocol.MessagePack,
                        _ => throw new ArgumentException($"--protocol must be json or msgpack, was '{value}'."),
                    };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return options;
    }

    private static List<int> List(string option, string value, int min, int max)
    {
        List<int> numbers = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => OptionNumber.Parse(option, v, min, max))];
        return numbers.Count > 0 ? numbers : throw new ArgumentException($"{option} needs at least one number.");
    }
}
