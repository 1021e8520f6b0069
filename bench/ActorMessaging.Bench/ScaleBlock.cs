using System.Globalization;

namespace ActorMessaging.Bench;

/// <summary>One row of <c>scale</c>: a block of creates, and the silo and listing measured at its end.</summary>
internal sealed record ScaleBlock(
    int Topics,
    int Created,
    int Errors,
    TimeSpan Elapsed,
    double RssBytes,
    double SiloCpuPercent,
    double DatabaseBytes,
    (double P50, double P99) Create,
    (double P50, double P99) Topic,
    (double P50, double P99) Message,
    (double P50, double P99) List,
    int ListedNames,
    bool Partial)
{
    public const string Header =
        "| topics | creates/s | errors | silo RSS | silo CPU | database | create p50 / p99 ms | PUT topic + subscription p50 / p99 | POST message p50 / p99 | list 1,000 p50 / p99 ms (names) |\n" +
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|";

    public double CreatesPerSecond => Created / Elapsed.TotalSeconds;

    public string Row => string.Create(
        CultureInfo.InvariantCulture,
        $"| {Topics:N0}{(Partial ? " (partial)" : "")} | {CreatesPerSecond:N0} | {Errors:N0} | {Megabytes(RssBytes)} | {SiloCpuPercent:0}% | {Megabytes(DatabaseBytes)} | {Pair(Create)} | {Pair(Topic)} | {Pair(Message)} | {Pair(List)} ({ListedNames:N0}) |");

    public static string Megabytes(double bytes) =>
        double.IsFinite(bytes) ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024):N0} MB") : "–";

    public static string Pair((double P50, double P99) value) => $"{Milliseconds(value.P50)} / {Milliseconds(value.P99)}";

    private static string Milliseconds(double value) =>
        double.IsFinite(value) ? value.ToString(value < 10 ? "0.0" : "N0", CultureInfo.InvariantCulture) : "–";
}
