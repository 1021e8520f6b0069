using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Grains.Telemetry;

/// <summary>
/// Backlog, oldest unacked age and attached consumers of the subscriptions active on this silo, as observable gauges.
/// Each active subscription grain reports its statistics every <see cref="Interval"/> while they move (see
/// <c>SubscriptionGrain.Telemetry</c>); an observation emits at most <see cref="MaxSeries"/> subscriptions per silo,
/// those with the largest backlog, so the number of series stays bounded however many subscriptions exist. A
/// subscription that is not active (no consumers, no recent calls) is not reported.
/// </summary>
internal static class SubscriptionGauges
{
    /// <summary>Most subscriptions one silo reports per gauge.</summary>
    public const int MaxSeries = 500;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly ConcurrentDictionary<string, SubscriptionSnapshot> Snapshots = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<long> Backlog = ActorMessagingTelemetry.Meter.CreateObservableGauge(
        "actormessaging.subscription.backlog", () => Observe(s => s.Stats.Backlog), "{message}",
        "Messages published to the topic and not yet acked or dead-lettered by the subscription.");

    private static readonly ObservableGauge<double> OldestUnackedAge = ActorMessagingTelemetry.Meter.CreateObservableGauge(
        "actormessaging.subscription.oldest_unacked_age", () => Observe(s => s.OldestUnackedAgeNow.TotalSeconds), "s",
        "Age of the oldest message in the subscription's backlog; 0 when the backlog is empty.");

    private static readonly ObservableGauge<long> Consumers = ActorMessagingTelemetry.Meter.CreateObservableGauge(
        "actormessaging.subscription.consumers", () => Observe(s => (long)s.Stats.ConsumersAttached), "{consumer}",
        "Push consumers attached to the subscription.");

    /// <summary>The gauges' names, for documentation and tests (touching this also creates them).</summary>
    public static IReadOnlyList<string> Names => [Backlog.Name, OldestUnackedAge.Name, Consumers.Name];

    public static void Report(string topic, string subscription, SubscriptionStats stats) =>
        Snapshots[SubscriptionKey.Format(topic, subscription)] = new SubscriptionSnapshot(topic, subscription, stats, Stopwatch.GetTimestamp());

    public static void Forget(string topic, string subscription) => Snapshots.TryRemove(SubscriptionKey.Format(topic, subscription), out _);

    private static IEnumerable<Measurement<T>> Observe<T>(Func<SubscriptionSnapshot, T> value)
        where T : struct
    {
        var snapshots = Snapshots.Values;
        var shown = snapshots.Count <= MaxSeries ? snapshots : snapshots.OrderByDescending(s => s.Stats.Backlog).Take(MaxSeries);
        return shown.Select(s => new Measurement<T>(value(s), ActorMessagingTelemetry.Topic(s.Topic), ActorMessagingTelemetry.Subscription(s.Subscription)));
    }
}
