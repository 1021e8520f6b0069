using ActorMessaging.Grains.Telemetry;

namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    /// <summary>Feeds <see cref="SubscriptionGauges"/> on a timer; a deleted subscription stops being reported.</summary>
    private async Task ReportGaugesAsync()
    {
        if (!state.State.Exists)
        {
            SubscriptionGauges.Forget(_topic, _name);
            return;
        }

        // The full stats call: it learns the topic's head, so an idle subscription's backlog still grows with publishes.
        SubscriptionGauges.Report(_topic, _name, await GetStatsAsync());
    }
}
