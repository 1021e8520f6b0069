using System.Diagnostics;

namespace ActorMessaging.Telemetry;

/// <summary>
/// W3C trace context carried in a message's attributes (<c>traceparent</c>, <c>tracestate</c>), so every span about
/// the message (delivery, the gateway's send, the ack, and the consumer's own processing) joins the publisher's trace.
/// </summary>
public static class MessageTraceContext
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>The context a message was published in, or default when it carries none (or a malformed one).</summary>
    public static ActivityContext Of(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Attributes is { } attributes && attributes.TryGetValue(TraceParent, out var parent)
            && ActivityContext.TryParse(parent, attributes.GetValueOrDefault(TraceState), isRemote: true, out var context)
            ? context
            : default;
    }

    /// <summary>
    /// Starts a span about one message as a child of the context it was published in. Activity.Current is left as it
    /// was, so spans for several messages of one batch are siblings, not nested.
    /// </summary>
    public static Activity? StartChild(string name, ActivityKind kind, StoredMessage message, string topic, string subscription)
    {
        var parent = Of(message);
        if (parent == default || !ActorMessagingTelemetry.Source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        var activity = ActorMessagingTelemetry.Source.StartActivity(name, kind, parent, [
            ActorMessagingTelemetry.Topic(topic),
            ActorMessagingTelemetry.Subscription(subscription),
            new("messaging.message.id", message.MessageId),
            new("sequence", message.Sequence)]);
        Activity.Current = previous;
        return activity;
    }

    /// <summary>Records an instant span about each message (a lease handed out, an ack taken).</summary>
    public static void Mark(string name, IEnumerable<StoredMessage> messages, string topic, string subscription)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (!ActorMessagingTelemetry.Source.HasListeners())
        {
            return;
        }

        foreach (var message in messages)
        {
            Stop(StartChild(name, ActivityKind.Internal, message, topic, subscription));
        }
    }

    /// <summary>Stops a span started by <see cref="StartChild"/> without disturbing Activity.Current.</summary>
    public static void Stop(Activity? activity)
    {
        if (activity is null)
        {
            return;
        }

        var previous = Activity.Current;
        activity.Stop();
        Activity.Current = previous;
    }

    /// <summary>
    /// Copies of <paramref name="batch"/> whose messages carry <paramref name="context"/> where they carry no trace
    /// context yet and have room for it: never more than <see cref="MessageLimits.MaxAttributes"/> attributes, never
    /// over <paramref name="maxMessageBytes"/>, so adding it never rejects a message that would have been accepted.
    /// </summary>
    public static IReadOnlyList<OutgoingMessage> AddWhereMissing(IReadOnlyList<OutgoingMessage> batch, ActivityContext context, int maxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (context == default)
        {
            return batch;
        }

        var parent = $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((context.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";
        var state = context.TraceState;
        var extra = TraceParent.Length + parent.Length + (string.IsNullOrEmpty(state) ? 0 : TraceState.Length + state.Length);
        OutgoingMessage[]? copy = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            var attributes = message.Attributes;
            if (attributes?.ContainsKey(TraceParent) == true
                || (attributes?.Count ?? 0) + 2 > MessageLimits.MaxAttributes
                || message.Size + extra > maxMessageBytes)
            {
                continue;
            }

            var traced = attributes is null ? new Dictionary<string, string>(2, StringComparer.Ordinal) : new Dictionary<string, string>(attributes, StringComparer.Ordinal);
            traced[TraceParent] = parent;
            if (!string.IsNullOrEmpty(state))
            {
                traced[TraceState] = state;
            }

            copy ??= [.. batch];
            copy[i] = message with { Attributes = traced };
        }

        return copy ?? batch;
    }
}
