using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Grains.Telemetry;

/// <summary>Latency of the grains' storage writes, and how many messages each log write (one group commit) carries.</summary>
internal static class StorageTelemetry
{
    /// <summary>Tag value for a log chunk write.</summary>
    public const string Log = "log";

    /// <summary>Tag value for a topic, subscription or dead-letter state write.</summary>
    public const string State = "state";

    private const string KindTag = "kind";

    private static readonly Histogram<double> Duration = ActorMessagingTelemetry.Meter.CreateHistogram(
        "actormessaging.storage.write.duration", "s", "Time of one successful grain storage write, by kind (log or state).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ActorMessagingTelemetry.SecondsBuckets });

    private static readonly Histogram<int> BatchSize = ActorMessagingTelemetry.Meter.CreateHistogram(
        "actormessaging.storage.write.batch_size", "{message}", "Messages in one log chunk write: the publishes one group commit made durable together.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });

    public static void StateWritten(long startedTimestamp) =>
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>(KindTag, State));

    public static void LogWritten(int messages, long startedTimestamp)
    {
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>(KindTag, Log));
        BatchSize.Record(messages);
    }
}
