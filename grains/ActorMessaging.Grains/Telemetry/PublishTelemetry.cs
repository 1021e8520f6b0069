using System.Diagnostics;
using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Grains.Telemetry;

/// <summary>What the topic grain records per publish call: messages and payload bytes stored, and time to durable.</summary>
internal static class PublishTelemetry
{
    private static readonly Counter<long> Messages = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.messages.published", "{message}", "Messages stored by topics (duplicates not counted).");

    private static readonly Counter<long> Payload = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.publish.payload", "By", "Payload bytes of the messages stored by topics.");

    private static readonly Histogram<double> Duration = ActorMessagingTelemetry.Meter.CreateHistogram(
        "actormessaging.publish.duration", "s", "Time from a publish call reaching its topic to the batch being durable.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ActorMessagingTelemetry.SecondsBuckets });

    /// <summary>
    /// The batch with the current trace context (the topic grain's call span) added to messages that carry none, so
    /// deliveries and acks join the publisher's trace. The topic's size limit is respected: see <see cref="MessageTraceContext.AddWhereMissing"/>.
    /// </summary>
    public static IReadOnlyList<OutgoingMessage> Traced(IReadOnlyList<OutgoingMessage> batch, TopicSettings settings) =>
        Activity.Current is { } current ? MessageTraceContext.AddWhereMissing(batch, current.Context, settings.MaxMessageBytes) : batch;

    public static void Published(string topic, IReadOnlyList<OutgoingMessage> batch, IReadOnlyList<PublishOutcome> outcomes, long startedTimestamp)
    {
        var tag = ActorMessagingTelemetry.Topic(topic);
        long stored = 0, bytes = 0;
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (!outcomes[i].Duplicate)
            {
                stored++;
                bytes += batch[i].Data.Length;
            }
        }

        Messages.Add(stored, tag);
        Payload.Add(bytes, tag);
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tag);
    }
}
