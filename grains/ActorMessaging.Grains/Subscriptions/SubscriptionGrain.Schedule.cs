namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Scheduled delivery and expiry on the subscription side: a message becomes ready at its
/// <see cref="StoredMessage.DeliverAt"/>, and one whose <see cref="StoredMessage.ExpiresAt"/> has passed is
/// never handed out again: it is dropped (settled), or dead-lettered with reason <c>expired</c> when the
/// subscription says so. Dead letters put back by hand are exempt: someone asked for them.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    private static DateTimeOffset ReadyAt(StoredMessage message, DateTimeOffset now) =>
        message.DeliverAt is { } at && at > now ? at : now;

    private static bool IsExpired(PendingMessage pending, DateTimeOffset now) =>
        !pending.Resubmitted && pending.Message.ExpiresAt is { } expiry && expiry <= now;

    private void Expire(PendingMessage pending, DateTimeOffset now)
    {
        if (Settings.DeadLetterExpired && HasDeadLetterRoom)
        {
            _ = DeadLetterAsync(pending, DeadLetterReasons.Expired, now);
            return;
        }

        Complete(pending);
    }
}
