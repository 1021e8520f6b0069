namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// Ordering keys: messages of one key are delivered in publish order, one at a time; the next is handed
/// out only once the previous is acked or dead-lettered. A nacked or expired message keeps its lane
/// blocked while it waits for its retry, so a later message of its key can never overtake it.
/// </summary>
internal sealed partial class SubscriptionGrain
{
    // Messages held back behind their key's head still occupy memory; past this many the read-ahead pauses, and
    // only then can a stuck key hold back others. Far above the read-ahead so independent keys keep flowing.
    private const int MaxWaitingInLanes = 50_000;

    private readonly OrderingLanes _lanes = new();

    private void OpenNextInLane(PendingMessage settled)
    {
        if (_lanes.Leave(settled) is { } next)
        {
            // It was read ahead but never ready: now it counts toward the read-ahead like any fresh message.
            _freshReady++;
            MakeReady(next, ReadyAt(next.Message, clock.UtcNow));
        }
    }
}
