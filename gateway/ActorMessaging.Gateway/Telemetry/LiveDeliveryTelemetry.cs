using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Gateway.Telemetry;

/// <summary>
/// Counts what live subscriptions send (<c>actormessaging.gateway.live_deliveries</c>). Live deliveries never pass
/// through a subscription grain, so <c>actormessaging.deliveries</c> does not see them. Tagged by topic only: live
/// subscription names are generated per connection and would make a series per connection.
/// </summary>
internal static class LiveDeliveryTelemetry
{
    private static readonly Counter<long> Deliveries = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.gateway.live_deliveries", "{delivery}", "Messages this gateway sent to live hub subscriptions.");

    public static void Sent(string topic, int count) => Deliveries.Add(count, ActorMessagingTelemetry.Topic(topic));
}
