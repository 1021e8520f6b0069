using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Grains.Telemetry;

/// <summary>
/// What a subscription grain records as it leases and settles messages: counters per topic and subscription, and an
/// instant span per message (<c>deliver</c>, <c>ack</c>, <c>nack</c>, <c>dead-letter</c>) in the message's own trace.
/// </summary>
internal static class DeliveryTelemetry
{
    private static readonly Counter<long> Deliveries = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.deliveries", "{delivery}", "Messages leased to consumers (pull or push), redeliveries included.");

    private static readonly Counter<long> Redeliveries = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.redeliveries", "{delivery}", "Deliveries after the first attempt (a nack or an expired lease came before).");

    private static readonly Counter<long> Acks = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.acks", "{message}", "Leases settled by an ack.");

    private static readonly Counter<long> Nacks = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.nacks", "{message}", "Leases given back by a nack.");

    private static readonly Counter<long> DeadLetters = ActorMessagingTelemetry.Meter.CreateCounter<long>(
        "actormessaging.dead_letters", "{message}", "Messages moved to a dead-letter store (durably).");

    public static void Delivered(string topic, string subscription, IReadOnlyList<Delivery> deliveries)
    {
        if (deliveries.Count == 0)
        {
            return;
        }

        var redelivered = 0;
        foreach (var delivery in deliveries)
        {
            redelivered += delivery.DeliveryAttempt > 1 ? 1 : 0;
        }

        Deliveries.Add(deliveries.Count, ActorMessagingTelemetry.Topic(topic), ActorMessagingTelemetry.Subscription(subscription));
        if (redelivered > 0)
        {
            Redeliveries.Add(redelivered, ActorMessagingTelemetry.Topic(topic), ActorMessagingTelemetry.Subscription(subscription));
        }

        MessageTraceContext.Mark("deliver", deliveries.Select(d => d.Message), topic, subscription);
    }

    public static void Acked(string topic, string subscription, StoredMessage message) =>
        Settled(Acks, "ack", topic, subscription, message);

    public static void Nacked(string topic, string subscription, StoredMessage message) =>
        Settled(Nacks, "nack", topic, subscription, message);

    public static void DeadLettered(string topic, string subscription, StoredMessage message) =>
        Settled(DeadLetters, "dead-letter", topic, subscription, message);

    private static void Settled(Counter<long> counter, string span, string topic, string subscription, StoredMessage message)
    {
        counter.Add(1, ActorMessagingTelemetry.Topic(topic), ActorMessagingTelemetry.Subscription(subscription));
        MessageTraceContext.Mark(span, [message], topic, subscription);
    }
}
