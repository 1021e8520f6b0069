using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>Command-line options of <c>fanout</c>.</summary>
internal sealed class FanoutOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- fanout [options]

        Fan-out from one topic to N WebSocket subscribers (256-byte messages): ActorMessaging (co-hosted silo + gateway,
        SignalR clients with live subscriptions) beside a minimal SignalR hub and a minimal raw Kestrel WebSocket server,
        all in this process on 127.0.0.1. Per cell: deliveries/s with publishers going flat out, then publish-to-receive
        latency p50/p99 at a fixed rate.

          --subscribers LIST  subscriber connections per cell (1 to 1000). Default: 1,10,100
          --seconds N         measured seconds of each phase. Default: 5
          --warmup N          seconds of publishing before the throughput phase measures (tiered JIT needs 15-20 s
                              on 2 cores before the co-hosted platform runs at its steady rate). Default: 3
          --rate N            messages/s of the latency phase (batches every 10 ms). Default: 5000
          --publishers N      closed-loop publishers of the throughput phase, 100 messages per call (1 to 64). Default: 16
          --store S           ActorMessaging storage: sqlite (durable, temp folder) or memory. Default: sqlite
          --systems LIST      which systems run: am, signalr, shape (the minimal hub sending the gateway's Deliver shape), raw.
                              One alone is for profiling. Default: all
          --protocols LIST    hub protocols the SignalR clients speak: json, msgpack (MessagePack; the raw WebSocket
                              baseline runs with json only). Default: json
        """;

    public IReadOnlyList<int> Subscribers { get; private init; } = [1, 10, 100];

    public TimeSpan Measure { get; private init; } = TimeSpan.FromSeconds(5);

    // 1 s left the system measured first half-compiled; the co-hosted platform keeps compiling for 15-20 s.
    public TimeSpan Warmup { get; private init; } = TimeSpan.FromSeconds(3);

    public IReadOnlyList<FanoutProtocol> Protocols { get; private init; } = [FanoutProtocol.Json];

    public int Rate { get; private init; } = 5000;

    /// <summary>
    /// Enough that a durable publish's round trip does not cap the throughput phase: with a few publishers it
    /// measures publish latency, not fan-out.
    /// </summary>
    public int Publishers { get; private init; } = 16;

    public BenchStore Store { get; private init; } = BenchStore.Sqlite;

    public HashSet<string> Systems { get; private init; } = AllSystems;

    private static readonly HashSet<string> AllSystems = new(["am", "signalr", "shape", "raw"], StringComparer.Ordinal);

    public static FanoutOptions Parse(ReadOnlySpan<string> args)
    {
        var defaults = new FanoutOptions();
        var (subscribers, measure, rate, store, publishers, systems) = (defaults.Subscribers, defaults.Measure, defaults.Rate, defaults.Store, defaults.Publishers, defaults.Systems);
        var (warmup, protocols) = (defaults.Warmup, defaults.Protocols);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{name}' needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--subscribers":
                    subscribers = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => OptionNumber.Parse(name, v, 1, 1000))];
                    if (subscribers.Count == 0)
                    {
                        throw new ArgumentException("--subscribers needs at least one count.");
                    }

                    break;
                case "--seconds":
                    measure = TimeSpan.FromSeconds(OptionNumber.Parse(name, value, 1, 120));
                    break;
                case "--warmup":
                    warmup = TimeSpan.FromSeconds(OptionNumber.Parse(name, value, 1, 120));
                    break;
                case "--protocols":
                    protocols = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Protocol).Distinct()];
                    if (protocols.Count == 0)
                    {
                        throw new ArgumentException("--protocols needs at least one of json and msgpack.");
                    }

                    break;
                case "--publishers":
                    publishers = OptionNumber.Parse(name, value, 1, 64);
                    break;
                case "--rate":
                    rate = OptionNumber.Parse(name, value, 100, 1_000_000);
                    break;
                case "--store":
                    store = value switch
                    {
                        "sqlite" => BenchStore.Sqlite,
                        "memory" => BenchStore.Memory,
                        _ => throw new ArgumentException($"--store must be sqlite or memory, was '{value}'."),
                    };
                    break;
                case "--systems":
                    systems = new HashSet<string>(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                    if (systems.Count == 0 || !systems.IsSubsetOf(AllSystems))
                    {
                        throw new ArgumentException($"--systems takes a list of am, signalr, shape and raw, was '{value}'.");
                    }

                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return new FanoutOptions { Subscribers = subscribers, Measure = measure, Warmup = warmup, Rate = rate, Store = store, Publishers = publishers, Systems = systems, Protocols = protocols };
    }

    private static FanoutProtocol Protocol(string value) => value switch
    {
        "json" => FanoutProtocol.Json,
        "msgpack" => FanoutProtocol.MessagePack,
        _ => throw new ArgumentException($"--protocols takes json and msgpack, was '{value}'."),
    };
}
