using System.Collections.Concurrent;

namespace ActorMessaging.Grains.Tests;

/// <summary>A push target that records what it is given, standing in for a gateway.</summary>
public sealed class RecordingObserver : IDeliveryObserver
{
    public ConcurrentQueue<Delivery> Received { get; } = new();

    public Task DeliverAsync(string topic, string subscription, string consumerId, IReadOnlyList<Delivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            Received.Enqueue(delivery);
        }

        return Task.CompletedTask;
    }
}
