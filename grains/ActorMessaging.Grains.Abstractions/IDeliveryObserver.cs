namespace ActorMessaging;

/// <summary>
/// A push target for deliveries, implemented by a gateway process (one observer per gateway). The
/// subscription grain calls it for each attached consumer; the deliveries are leased exactly like a
/// pull, so a lost call only means the leases expire and the messages come back.
/// </summary>
[Alias("am.delivery-observer")]
public interface IDeliveryObserver : IGrainObserver
{
    [Alias("deliver")]
    Task DeliverAsync(string topic, string subscription, string consumerId, IReadOnlyList<Delivery> deliveries);
}
