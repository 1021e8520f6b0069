namespace ActorMessaging.Grains.Topics;

/// <summary>
/// Scheduled delivery and time to live at publish: checks <see cref="OutgoingMessage.DeliverAt"/> and
/// <see cref="OutgoingMessage.TimeToLive"/>, and stamps the stored message with when it becomes deliverable
/// and when it expires. Time to live counts from when the message becomes deliverable, as in Service Bus.
/// </summary>
internal static class MessageSchedule
{
    public static void Validate(string topic, TopicSettings settings, int index, OutgoingMessage message, DateTimeOffset now)
    {
        // A message scheduled past the retention would be deleted before anyone could receive it.
        if (message.DeliverAt is { } at && at > now + settings.Retention)
        {
            throw PublishValidator.Invalid(topic, index, $"has deliverAt {at:O}, beyond the topic's retention ({settings.Retention}) from now ({now:O})");
        }

        if (message.TimeToLive is { } ttl && (ttl < MessageLimits.MinTimeToLive || ttl > settings.Retention))
        {
            throw PublishValidator.Invalid(topic, index, $"has a time to live of {ttl}; it must be between {MessageLimits.MinTimeToLive} and the topic's retention ({settings.Retention})");
        }
    }

    public static StoredMessage Stamp(OutgoingMessage message, long sequence, DateTimeOffset now, TopicSettings settings)
    {
        // A deliverAt already past is simply deliverable now; storing none keeps the common message small.
        var deliverAt = message.DeliverAt > now ? message.DeliverAt : null;
        var ttl = message.TimeToLive ?? settings.DefaultTimeToLive;
        var expiresAt = ttl is { } live ? (deliverAt ?? now) + live : (DateTimeOffset?)null;
        return new StoredMessage(sequence, now, message.MessageId, message.Data, message.ContentType, message.Attributes, message.OrderingKey, deliverAt, expiresAt);
    }
}
