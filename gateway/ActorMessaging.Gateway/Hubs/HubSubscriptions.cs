using ActorMessaging.Filters;
using ActorMessaging.Gateway.Hubs.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// What connections subscribe to through this gateway: durable subscriptions' consumers, which it attaches,
/// renews and detaches at their subscription grains, and live subscriptions, which <see cref="LiveFeeds"/> serves.
/// </summary>
internal sealed partial class HubSubscriptions(
    IGrainFactory grains,
    HubSubscriptionRegistry registry,
    HubDeliveryObserver observer,
    LiveFeeds live,
    IHubContext<MessagingHub> hub,
    ILoggerFactory loggers,
    ILogger<HubSubscriptions> logger)
{
    /// <summary>How often every attachment is renewed; well inside the grain's 60 s registration lifetime.</summary>
    public static readonly TimeSpan RenewalInterval = TimeSpan.FromSeconds(20);

    private const int RenewalParallelism = 16;

    private readonly Lock _referenceLock = new();
    private IDeliveryObserver? _reference;

    /// <summary>
    /// Attaches the connection to a durable subscription, or starts a live one (taking what <paramref name="filter"/>
    /// matches, everything when null) when <paramref name="subscription"/> is null. Returns the subscription's name.
    /// </summary>
    public Task<string> SubscribeAsync(string connectionId, string topic, string? subscription, int maxInFlight, MessageFilter? filter = null)
    {
        if (subscription is null)
        {
            return live.JoinAsync(connectionId, topic, maxInFlight, filter);
        }

        if (registry.Find(connectionId, topic, subscription) is LiveSubscriber subscriber)
        {
            // Subscribing again to one's live subscription changes its window.
            subscriber.MaxInFlight = maxInFlight;
            return Task.FromResult(subscription);
        }

        return SubscribeDurableAsync(connectionId, topic, subscription, maxInFlight);
    }

    /// <summary>The connection's live subscription of that name on that topic, if it has one.</summary>
    public LiveSubscriber? FindLive(string connectionId, string topic, string subscription) =>
        registry.Find(connectionId, topic, subscription) as LiveSubscriber;

    /// <summary>Stops the subscription's deliveries to the connection (ending it when it is a live one). False when it was not subscribed.</summary>
    public async Task<bool> UnsubscribeAsync(string connectionId, string topic, string subscription)
    {
        if (registry.Find(connectionId, topic, subscription) is not { } held || !registry.Remove(held))
        {
            return false;
        }

        await ReleaseAsync(held);
        return true;
    }

    /// <summary>The connection left: every subscription it had goes.</summary>
    public Task CloseConnectionAsync(string connectionId) =>
        Task.WhenAll(registry.CloseConnection(connectionId).Select(ReleaseAsync));

    /// <summary>The gateway is stopping: every consumer goes, as if each connection had left.</summary>
    public async Task CloseAllAsync()
    {
        await Task.WhenAll(registry.CloseAll().Select(ReleaseAsync));
        await live.CloseAllAsync();
        IDeliveryObserver? reference;
        lock (_referenceLock)
        {
            (reference, _reference) = (_reference, null);
        }

        if (reference is not null)
        {
            grains.DeleteObjectReference<IDeliveryObserver>(reference);
        }
    }

    /// <summary>
    /// Renews every attachment and live feed (only those whose last renewal failed when <paramref name="onlyFailed"/>),
    /// so registrations outlive their 60 s lifetime only while this gateway is alive, and a subscription or topic that
    /// came back on another silo knows this gateway's consumers again.
    /// </summary>
    public async Task RenewAllAsync(bool onlyFailed, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(
            registry.All.OfType<HubConsumer>().Where(c => !onlyFailed || c.RenewalFailed),
            new ParallelOptions { MaxDegreeOfParallelism = RenewalParallelism, CancellationToken = cancellationToken },
            async (consumer, _) => await RenewAsync(consumer));
        await live.RenewAllAsync(onlyFailed, cancellationToken);
    }

    private async Task<string> SubscribeDurableAsync(string connectionId, string topic, string subscription, int maxInFlight)
    {
        if (registry.Find(connectionId, topic, subscription) is HubConsumer existing)
        {
            // Subscribing again changes the window and renews the attachment.
            existing.MaxInFlight = maxInFlight;
            await existing.Grain.AttachAsync(existing.Registration(Reference()));
            return subscription;
        }

        var grain = grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription));
        var consumer = new HubConsumer(registry.NewConsumerId(connectionId), connectionId, topic, subscription, maxInFlight, grain, hub, loggers.CreateLogger<HubConsumer>());
        registry.Add(consumer);

        // Sending starts before the attach returns: the grain may push at once.
        consumer.Start();
        try
        {
            await consumer.Grain.AttachAsync(consumer.Registration(Reference()));
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.SubscriptionNotFound)
        {
            await ReleaseAsync(consumer, attached: false);

            // The subscription grain cannot tell a missing topic from a missing subscription; the topic can.
            await grains.GetGrain<ITopicGrain>(topic).GetAsync();
            throw;
        }
        catch
        {
            await ReleaseAsync(consumer);
            throw;
        }

        await DetachIfReleasedAsync(consumer);
        return subscription;
    }

    /// <summary>The connection left while the attach was in flight, and its clean-up may have run first: undo the attach.</summary>
    private async Task DetachIfReleasedAsync(HubConsumer consumer)
    {
        if (!registry.TryGet(consumer.ConsumerId, out _))
        {
            await ReleaseAsync(consumer);
        }
    }

    private async Task RenewAsync(HubConsumer consumer)
    {
        if (!registry.TryGet(consumer.ConsumerId, out _))
        {
            return;
        }

        try
        {
            await consumer.Grain.AttachAsync(consumer.Registration(Reference()));
            consumer.RenewalFailed = false;
        }
        catch (BrokerException exception) when (exception.Code is ErrorCode.SubscriptionNotFound or ErrorCode.TopicNotFound)
        {
            LogSubscriptionGone(consumer.Topic, consumer.Subscription, consumer.ConnectionId);
            await ReleaseAsync(consumer, attached: false);
            return;
        }
        catch (Exception exception)
        {
            // Retried within seconds (HubSubscriptionRenewal.LookInterval): the subscription may be on a silo that is dying.
            consumer.RenewalFailed = true;
            LogRenewFailed(exception, consumer.Topic, consumer.Subscription, consumer.ConsumerId);
            return;
        }

        await DetachIfReleasedAsync(consumer);
    }

    private Task ReleaseAsync(IHubSubscription held)
    {
        switch (held)
        {
            case LiveSubscriber subscriber:
                live.Leave(subscriber);
                return Task.CompletedTask;
            case HubConsumer consumer:
                return ReleaseAsync(consumer, attached: true);
            default:
                throw new InvalidOperationException($"Unknown hub subscription {held.GetType()}.");
        }
    }

    /// <summary>Removes the consumer and detaches it at the grain; failures are logged, the registration then expires on its own.</summary>
    private async Task ReleaseAsync(HubConsumer consumer, bool attached)
    {
        registry.Remove(consumer);
        consumer.Stop();
        if (!attached)
        {
            return;
        }

        try
        {
            await consumer.Grain.DetachAsync(consumer.ConsumerId);
        }
        catch (Exception exception)
        {
            LogReleaseFailed(exception, consumer.Topic, consumer.Subscription, consumer.ConsumerId);
        }
    }

    /// <summary>The observer reference, created on first use: from a hub call or timer, never from a grain or silo start-up.</summary>
    private IDeliveryObserver Reference()
    {
        lock (_referenceLock)
        {
            return _reference ??= grains.CreateObjectReference<IDeliveryObserver>(observer);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription {Topic}/{Subscription} is gone; connection {ConnectionId} no longer receives from it")]
    private partial void LogSubscriptionGone(string topic, string subscription, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing consumer {ConsumerId} of {Topic}/{Subscription} failed; retrying at the next renewal")]
    private partial void LogRenewFailed(Exception exception, string topic, string subscription, string consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing consumer {ConsumerId} of {Topic}/{Subscription} failed; its registration expires on its own")]
    private partial void LogReleaseFailed(Exception exception, string topic, string subscription, string consumerId);
}
