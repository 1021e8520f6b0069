using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>Command-line options of <c>publish</c>.</summary>
internal sealed class PublishBenchmarkOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project bench/ActorMessaging.Bench -- publish [options]

        Durable publish throughput into one topic, beside raw batched INSERTs into the same database.

          --store LIST        sqlite, postgres, memory or all (= sqlite,postgres,memory). Default: all
          --seconds N         measured seconds per cell. Default: 5
          --warmup N          warm-up seconds per cell, not measured. Default: 2
          --publishers LIST   concurrent publishers. Default: 1,16,64
          --batch LIST        messages per publish call. Default: 1,100
          --raw-writers LIST  concurrent writers of the PostgreSQL raw baseline (SQLite always uses 1). Default: 1,16
          --raw-batch N       rows per raw INSERT transaction. Default: 100
          --payload N         payload bytes per message. Default: 256
          --repeat N          run every cell N times and report the median (and the range). Default: 1
          --message-ids       give every message a unique id (exercises duplicate detection). Default: no ids
          --no-raw            skip the raw baselines
        """;

    private static readonly HashSet<string> ValueOptions =
        new(["--store", "--seconds", "--warmup", "--publishers", "--batch", "--raw-writers", "--raw-batch", "--payload", "--repeat"], StringComparer.Ordinal);

    public IReadOnlyList<BenchStore> Stores { get; private init; } = [BenchStore.Sqlite, BenchStore.Postgres, BenchStore.Memory];

    public TimeSpan Measure { get; private init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Warmup { get; private init; } = TimeSpan.FromSeconds(2);

    public IReadOnlyList<int> Publishers { get; private init; } = [1, 16, 64];

    public IReadOnlyList<int> Batches { get; private init; } = [1, 100];

    public IReadOnlyList<int> RawWriters { get; private init; } = [1, 16];

    public int RawBatch { get; private init; } = 100;

    public int PayloadBytes { get; private init; } = 256;

    public bool MessageIds { get; private init; }

    public bool Raw { get; private init; } = true;

    public int Repeat { get; private init; } = 1;

    public static PublishBenchmarkOptions Parse(ReadOnlySpan<string> args)
    {
        var defaults = new PublishBenchmarkOptions();
        var (stores, measure, warmup, publishers, batches, rawWriters, rawBatch, payload, ids, raw, repeat) =
            (defaults.Stores, defaults.Measure, defaults.Warmup, defaults.Publishers, defaults.Batches, defaults.RawWriters,
             defaults.RawBatch, defaults.PayloadBytes, defaults.MessageIds, defaults.Raw, defaults.Repeat);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--message-ids":
                    ids = true;
                    continue;
                case "--no-raw":
                    raw = false;
                    continue;
            }

            if (!ValueOptions.Contains(name))
            {
                throw new ArgumentException($"Unknown option '{name}'.");
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option '{name}' needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--store":
                    stores = ParseStores(value);
                    break;
                case "--seconds":
                    measure = TimeSpan.FromSeconds(ParsePositive(name, value, max: 3600));
                    break;
                case "--warmup":
                    warmup = TimeSpan.FromSeconds(ParsePositive(name, value, max: 3600, allowZero: true));
                    break;
                case "--publishers":
                    publishers = ParseList(name, value, max: 4096);
                    break;
                case "--batch":
                    batches = ParseList(name, value, max: MessageLimits.MaxBatchMessages);
                    break;
                case "--raw-writers":
                    rawWriters = ParseList(name, value, max: 150);
                    break;
                case "--raw-batch":
                    rawBatch = ParsePositive(name, value, max: 10_000);
                    break;
                case "--payload":
                    payload = ParsePositive(name, value, max: 64 * 1024);
                    break;
                case "--repeat":
                    repeat = ParsePositive(name, value, max: 100);
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return new PublishBenchmarkOptions
        {
            Stores = stores,
            Measure = measure,
            Warmup = warmup,
            Publishers = publishers,
            Batches = batches,
            RawWriters = rawWriters,
            RawBatch = rawBatch,
            PayloadBytes = payload,
            MessageIds = ids,
            Raw = raw,
            Repeat = repeat,
        };
    }

    private static List<BenchStore> ParseStores(string value)
    {
        var stores = new List<BenchStore>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BenchStore[] parsed = part.ToUpperInvariant() switch
            {
                "ALL" => [BenchStore.Sqlite, BenchStore.Postgres, BenchStore.Memory],
                "SQLITE" => [BenchStore.Sqlite],
                "POSTGRES" or "PG" or "POSTGRESQL" => [BenchStore.Postgres],
                "MEMORY" => [BenchStore.Memory],
                _ => throw new ArgumentException($"--store: unknown store '{part}'; use sqlite, postgres, memory or all."),
            };
            stores.AddRange(parsed.Where(s => !stores.Contains(s)));
        }

        return stores.Count > 0 ? stores : throw new ArgumentException("--store: give at least one store.");
    }

    private static List<int> ParseList(string name, string value, int max)
    {
        var list = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => ParsePositive(name, part, max))
            .Distinct()
            .ToList();
        return list.Count > 0 ? list : throw new ArgumentException($"{name}: give at least one number.");
    }

    private static int ParsePositive(string name, string value, int max, bool allowZero = false)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > max || (number == 0 && !allowZero))
        {
            throw new ArgumentException($"{name}: '{value}' must be a whole number from {(allowZero ? 0 : 1)} to {max}.");
        }

        return number;
    }
}
