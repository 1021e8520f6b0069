using System.Diagnostics;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Gateway.Telemetry;

/// <summary>
/// The gateway's <c>publish {topic}</c> producer span around a publish (HTTP or hub). The topic grain's call runs
/// under it and stamps its context into messages that carry no <c>traceparent</c>, so a publish made without any trace
/// context still starts the trace every delivery and ack of its messages joins.
/// </summary>
internal static class PublishSpan
{
    public static Activity? Start(string topic) =>
        ActorMessagingTelemetry.Source.StartActivity($"publish {topic}", ActivityKind.Producer, parentContext: default, [
            ActorMessagingTelemetry.Topic(topic),
            new("messaging.operation.type", "send")]);
}
