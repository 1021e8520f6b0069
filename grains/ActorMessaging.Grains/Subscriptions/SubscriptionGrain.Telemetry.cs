using ActorMessaging.Grains.Telemetry;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Feeds <see cref="SubscriptionGauges"/>, every <see cref="SubscriptionGauges.Interval"/> while the gauges can move.
/// </summary>
/// <remarks>
/// A subscription without consumers hears of publishes only by asking its topic. Refreshing every 5 s from activation to
/// deactivation therefore made every active subscription call its topic every 5 s, which also kept every topic busy (an
/// idle silo with 50,000 topics and subscriptions spent 72% of two cores on this and the grains' timers, issue 17). The
/// gauges are now refreshed from activation and from any change (what the subscription saves: acks, nacks, a seek...;
/// leases, consumers, waiting pulls) until 15 s have passed with no change and a refresh finds them as they were;
/// then the refreshes stop, and the gauges keep their last values (the age still grows, see
/// <see cref="SubscriptionSnapshot"/>) until the next change or deactivation. So publishes to a subscription that has
/// been idle for 15 s reach its backlog gauge at its next call, as docs/operations.md states. A subscription with
/// consumers or waiting pulls watches its topic, which tells it of every publish: its refreshes never ask the topic.
/// </remarks>
internal sealed partial class SubscriptionGrain
{
    /// <summary>Gauges that have not moved for this long (broker time) stop being refreshed.</summary>
    internal static readonly TimeSpan GaugesQuietAfter = TimeSpan.FromSeconds(15);

    private DueTimer _gaugeRefresh = null!;
    private DateTimeOffset _gaugesMovedAt;
    private SubscriptionStats? _reported;

    /// <summary>Something happened that may move the gauges: refresh them until they are quiet again.</summary>
    private void GaugesMayMove()
    {
        _gaugesMovedAt = clock.UtcNow;
        _gaugeRefresh.Within(SubscriptionGauges.Interval);
    }

    private async Task ReportGaugesAsync()
    {
        if (!state.State.Exists)
        {
            // Deleted (or never created): not reported, and nothing to refresh until it is created.
            SubscriptionGauges.Forget(_topic, _name);
            _reported = null;
            return;
        }

        var quiet = false;
        try
        {
            var stats = await CurrentStatsAsync(askTopic: !Watching);
            if (_reported is not { } last || last with { OldestUnackedAge = null } != stats with { OldestUnackedAge = null })
            {
                _gaugesMovedAt = clock.UtcNow;
            }

            _reported = stats;
            SubscriptionGauges.Report(_topic, _name, stats);
            quiet = !HasDeliveryWork && clock.UtcNow - _gaugesMovedAt >= GaugesQuietAfter;
        }
        finally
        {
            // A refresh that failed (the topic did not answer) is tried again at the next interval.
            if (!quiet)
            {
                _gaugeRefresh.Within(SubscriptionGauges.Interval);
            }
        }
    }
}
