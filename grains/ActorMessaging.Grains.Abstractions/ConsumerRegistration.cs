namespace ActorMessaging;

/// <summary>A push consumer attached to a subscription: where to send, and how many unacked deliveries it takes at most.</summary>
[GenerateSerializer, Immutable, Alias("am.consumer-registration")]
public sealed record ConsumerRegistration(
    [property: Id(0)] string ConsumerId,
    [property: Id(1)] IDeliveryObserver Observer,
    [property: Id(2)] int MaxInFlight)
{
    public const int MaxInFlightLimit = 10_000;
}
