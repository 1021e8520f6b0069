namespace ActorMessaging;

/// <summary>
/// A push target for deliveries, implemented by a gateway process (one observer per gateway). The
/// subscription grain calls it for each attached consumer; the deliveries are leased exactly like a
/// pull, so a lost call only means the leases expire and the messages come back.
/// </summary>
[Alias("am.delivery-observer")]
public interface IDeliveryObserver : IGrainObserver
{
    /// <remarks>
    /// A gateway only queues the deliveries, so a call that takes seconds was lost on the way (a silo between them died
    /// or froze). The short timeout lets the subscription push the next batch after seconds instead of after the
    /// cluster's response timeout; the lost batch's leases expire and its messages come again.
    /// </remarks>
    [Alias("deliver"), ResponseTimeout("00:00:05")]
    Task DeliverAsync(string topic, string subscription, string consumerId, IReadOnlyList<Delivery> deliveries);
}
