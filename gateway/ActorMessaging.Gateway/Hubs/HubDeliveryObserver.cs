using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// The one <see cref="IDeliveryObserver"/> of this gateway process: subscription grains on any silo call it
/// for every consumer attached through this gateway, and it hands the deliveries to the consumer's queue.
/// </summary>
/// <remarks>
/// It returns without waiting for the connection. Orleans runs the calls to one client-side observer object
/// one after another, so waiting here for a slow browser would stall every delivery to this gateway.
/// </remarks>
internal sealed partial class HubDeliveryObserver(HubSubscriptionRegistry registry, IGrainFactory grains, ILogger<HubDeliveryObserver> logger) : IDeliveryObserver
{
    public Task DeliverAsync(string topic, string subscription, string consumerId, IReadOnlyList<Delivery> deliveries)
    {
        if (registry.TryGet(consumerId, out var held) && held is HubConsumer consumer && !consumer.IsStopped && consumer.Topic == topic && consumer.Subscription == subscription)
        {
            consumer.Enqueue(deliveries);
            return Task.CompletedTask;
        }

        // A consumer this gateway no longer has (its connection left while the registration was still
        // alive, or its send loop failed): detaching releases the leases at once instead of after the ack deadline.
        _ = DetachUnknownAsync(topic, subscription, consumerId);
        return Task.CompletedTask;
    }

    private async Task DetachUnknownAsync(string topic, string subscription, string consumerId)
    {
        LogUnknownConsumer(topic, subscription, consumerId);
        try
        {
            await grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription)).DetachAsync(consumerId);
        }
        catch (Exception exception)
        {
            // The registration still expires on its own within its lifetime.
            LogDetachFailed(exception, topic, subscription, consumerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deliveries of {Topic}/{Subscription} for unknown consumer {ConsumerId}; detaching it")]
    private partial void LogUnknownConsumer(string topic, string subscription, string consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not detach unknown consumer {ConsumerId} from {Topic}/{Subscription}")]
    private partial void LogDetachFailed(Exception exception, string topic, string subscription, string consumerId);
}
