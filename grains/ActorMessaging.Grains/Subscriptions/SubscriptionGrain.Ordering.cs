namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Ordering keys: messages of one key are delivered in publish order, one at a time; the next is handed
/// out only once the previous is acked or dead-lettered. A nacked or expired message keeps its lane
/// blocked while it waits for its retry, so a later message of its key can never overtake it.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    private void OpenNextInLane(PendingMessage settled)
    {
        if (_lanes.Leave(settled) is { } next)
        {
            // It was read ahead but never ready: now it counts toward the read-ahead like any fresh message.
            _ready.Add(next, ReadyAt(next.Message, clock.UtcNow));
        }
    }
}
