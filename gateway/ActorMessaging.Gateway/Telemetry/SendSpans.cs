using System.Diagnostics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Gateway.Telemetry;

/// <summary>
/// One <c>send</c> span per message while the gateway hands a batch to a hub connection, each a child of the context
/// the message was published in; disposing ends them.
/// </summary>
internal sealed class SendSpans : IDisposable
{
    private static readonly SendSpans None = new([]);

    private readonly List<Activity> _spans;

    private SendSpans(List<Activity> spans) => _spans = spans;

    public static SendSpans Start(string topic, string subscription, IReadOnlyList<Delivery> batch)
    {
        if (!ActorMessagingTelemetry.Source.HasListeners())
        {
            return None;
        }

        var spans = new List<Activity>(batch.Count);
        foreach (var delivery in batch)
        {
            if (MessageTraceContext.StartChild("send", ActivityKind.Producer, delivery.Message, topic, subscription) is { } span)
            {
                span.SetTag("messaging.delivery.attempt", delivery.DeliveryAttempt);
                spans.Add(span);
            }
        }

        return spans.Count == 0 ? None : new SendSpans(spans);
    }

    public void Dispose()
    {
        foreach (var span in _spans)
        {
            MessageTraceContext.Stop(span);
        }
    }
}
