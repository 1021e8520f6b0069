using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>Command-line options of <c>scale</c>.</summary>
internal sealed class ScaleOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- scale [options]

        Starts the silo host (silo/ActorMessaging.Silo, co-hosted gateway, Development, rate limit off) as a separate
        process on 127.0.0.1, then C concurrent HTTP callers create N topics, each with one subscription and one 256-byte
        message (PUT topic with its subscription, POST message). Names share 100 prefixes: tenant-{k % 100:D3}-topic-{k}.
        Prints a row per block of B topics: creates/s, silo RSS and CPU, database size, create latency (and each call's),
        and 20 prefix listings of one page (GET /v1/topics?prefix=tenant-042-&pageSize=1000). Then waits for the RSS
        to settle, prints it beside the fresh silo's with the silo's CPU during the wait, and publishes one message to each of 200 random existing topics
        (one at a time, for at most 2 minutes).

          --topics N        topics to create. Default: 1000000
          --callers C       concurrent HTTP callers. Default: 32
          --block B         topics per printed row. Default: 100000
          --store S         sqlite (a temp folder) or postgres (a throwaway server from the machine's binaries). Default: sqlite
          --idle-wait S     seconds to wait after the load before the idle RSS. Default: until the silo's activations
                            (orleans_catalog_activations on /metrics) are within 100 of a fresh silo's, then until the RSS
                            stops falling (no 1% drop within 60 s), at most 600
          --max-minutes M   stop creating after M minutes (the partial block is printed and marked). Default: no limit
        """;

    public const int PayloadBytes = 256;

    public const int Prefixes = 100;

    public const string ListedPrefix = "tenant-042-";

    public const int ListPageSize = 1000;

    public const int ListReads = 20;

    public const int ColdPublishes = 200;

    // Orleans collects an idle grain within two idle timeouts (2 minutes by default) and a collection quantum.
    public static readonly TimeSpan MaxIdleWait = TimeSpan.FromMinutes(10);

    /// <summary>Activations above a fresh silo's that still count as "all idle grains collected".</summary>
    public const long IdleActivationSlack = 100;

    public static readonly TimeSpan ColdPublishTime = TimeSpan.FromMinutes(2);

    public int Topics { get; private set; } = 1_000_000;

    public int Callers { get; private set; } = 32;

    public int Block { get; private set; } = 100_000;

    public BenchStore Store { get; private set; } = BenchStore.Sqlite;

    /// <summary>A fixed idle wait, or null to wait until the RSS stops falling (at most <see cref="MaxIdleWait"/>).</summary>
    public TimeSpan? IdleWait { get; private set; }

    public TimeSpan? MaxDuration { get; private set; }

    public static string TopicName(int k) => string.Create(CultureInfo.InvariantCulture, $"tenant-{k % Prefixes:D3}-topic-{k}");

    public static ScaleOptions Parse(ReadOnlySpan<string> args)
    {
        var options = new ScaleOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{name}' needs a value.");
            switch (name)
            {
                case "--topics":
                    options.Topics = OptionNumber.Parse(name, value, 1, 10_000_000);
                    break;
                case "--callers":
                    options.Callers = OptionNumber.Parse(name, value, 1, 1000);
                    break;
                case "--block":
                    options.Block = OptionNumber.Parse(name, value, 1, 10_000_000);
                    break;
                case "--store":
                    options.Store = value switch
                    {
                        "sqlite" => BenchStore.Sqlite,
                        "postgres" => BenchStore.Postgres,
                        _ => throw new ArgumentException($"--store must be sqlite or postgres, was '{value}'."),
                    };
                    break;
                case "--idle-wait":
                    options.IdleWait = TimeSpan.FromSeconds(OptionNumber.Parse(name, value, 0, 3600));
                    break;
                case "--max-minutes":
                    options.MaxDuration = TimeSpan.FromMinutes(OptionNumber.Parse(name, value, 1, 24 * 60));
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return options;
    }
}
