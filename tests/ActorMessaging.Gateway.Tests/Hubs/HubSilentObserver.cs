namespace ActorMessaging.Gateway.Tests;

/// <summary>A push consumer that is not a hub connection and is never renewed: it stands for another gateway's consumer.</summary>
internal sealed class HubSilentObserver : IDeliveryObserver
{
    public Task DeliverAsync(string topic, string subscription, string consumerId, IReadOnlyList<Delivery> deliveries) => Task.CompletedTask;
}
