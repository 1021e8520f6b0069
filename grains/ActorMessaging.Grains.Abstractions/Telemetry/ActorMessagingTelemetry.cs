using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ActorMessaging.Telemetry;

/// <summary>
/// The one <c>ActorMessaging</c> meter and activity source, shared by grains and gateway so a host enables both with
/// one name. Instruments live next to the code that records them (<c>*/Telemetry</c>); docs/operations.md lists them.
/// </summary>
public static class ActorMessagingTelemetry
{
    /// <summary>Name of the meter and of the activity source.</summary>
    public const string Name = "ActorMessaging";

    /// <summary>Tag naming the topic on every instrument and span.</summary>
    public const string TopicTag = "topic";

    /// <summary>Tag naming the subscription (its name within the topic).</summary>
    public const string SubscriptionTag = "subscription";

    public static ActivitySource Source { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);

    /// <summary>Histogram boundaries for durations in seconds: 0.5 ms to 10 s, where publish and storage latencies live.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static KeyValuePair<string, object?> Topic(string topic) => new(TopicTag, topic);

    public static KeyValuePair<string, object?> Subscription(string subscription) => new(SubscriptionTag, subscription);
}
