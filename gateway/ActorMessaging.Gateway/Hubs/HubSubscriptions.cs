using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Attaches, renews and detaches this gateway's hub consumers at their subscription grains, and owns
/// the lifecycle of live (temporary) subscriptions.
/// </summary>
internal sealed partial class HubSubscriptions(
    IGrainFactory grains,
    HubConsumerRegistry registry,
    HubDeliveryObserver observer,
    IHubContext<MessagingHub> hub,
    ILoggerFactory loggers,
    ILogger<HubSubscriptions> logger)
{
    /// <summary>Live subscriptions are named <c>live-</c> and 32 hex digits (see <see cref="IsLiveName"/>).</summary>
    public const string LivePrefix = "live-";

    /// <summary>How often every attachment is renewed; well inside the grain's 60 s registration lifetime.</summary>
    public static readonly TimeSpan RenewalInterval = TimeSpan.FromSeconds(20);

    private const int RenewalParallelism = 16;
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// A live subscription starts at the latest message and is acked as it is sent; dead letters would
    /// only pile up in a subscription that goes away with its connection.
    /// </summary>
    internal static readonly SubscriptionSettings LiveSettings = new() { StartAt = StartPosition.Latest, DeadLettering = false };

    private readonly Lock _referenceLock = new();
    private IDeliveryObserver? _reference;

    /// <summary>A name this gateway generates for a live subscription.</summary>
    public static string NewLiveName() => LivePrefix + Guid.NewGuid().ToString("N");

    /// <summary>True for names of the form <see cref="NewLiveName"/> generates.</summary>
    public static bool IsLiveName(string name) =>
        name.Length == LivePrefix.Length + 32
        && name.StartsWith(LivePrefix, StringComparison.Ordinal)
        && !name.AsSpan(LivePrefix.Length).ContainsAnyExcept(LowerHex);

    /// <summary>Attaches the connection to a durable subscription, or to a new live one when <paramref name="subscription"/> is null. Returns the subscription's name.</summary>
    public Task<string> SubscribeAsync(string connectionId, string topic, string? subscription, int maxInFlight) =>
        subscription is null ? SubscribeLiveAsync(connectionId, topic, maxInFlight) : SubscribeDurableAsync(connectionId, topic, subscription, maxInFlight);

    /// <summary>Detaches the connection from the subscription (and deletes it when it is the connection's live one). False when it was not attached.</summary>
    public async Task<bool> UnsubscribeAsync(string connectionId, string topic, string subscription)
    {
        if (registry.Find(connectionId, topic, subscription) is not { } consumer || !registry.Remove(consumer))
        {
            return false;
        }

        consumer.Stop();
        await consumer.Grain.DetachAsync(consumer.ConsumerId);
        if (consumer.IsLive)
        {
            await DeleteLiveAsync(consumer.Grain);
        }

        return true;
    }

    /// <summary>The connection left: every consumer it had goes, and its live subscriptions are deleted.</summary>
    public Task CloseConnectionAsync(string connectionId) =>
        Task.WhenAll(registry.CloseConnection(connectionId).Select(ReleaseAsync));

    /// <summary>The gateway is stopping: every consumer goes, as if each connection had left.</summary>
    public async Task CloseAllAsync()
    {
        await Task.WhenAll(registry.CloseAll().Select(ReleaseAsync));
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

    /// <summary>Renews every attachment, so registrations outlive their 60 s lifetime only while this gateway is alive.</summary>
    public Task RenewAllAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            registry.All,
            new ParallelOptions { MaxDegreeOfParallelism = RenewalParallelism, CancellationToken = cancellationToken },
            async (consumer, _) => await RenewAsync(consumer));

    private async Task<string> SubscribeDurableAsync(string connectionId, string topic, string subscription, int maxInFlight)
    {
        if (registry.Find(connectionId, topic, subscription) is { } existing)
        {
            // Subscribing again changes the window and renews the attachment.
            existing.MaxInFlight = maxInFlight;
            await existing.Grain.AttachAsync(existing.Registration(Reference()));
            return subscription;
        }

        var consumer = Track(connectionId, topic, subscription, isLive: false, maxInFlight);
        try
        {
            await consumer.Grain.AttachAsync(consumer.Registration(Reference()));
        }
        catch (ActorMessagingException exception) when (exception.Code == ErrorCode.SubscriptionNotFound)
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

    private async Task<string> SubscribeLiveAsync(string connectionId, string topic, int maxInFlight)
    {
        var name = NewLiveName();
        var grain = grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, name));
        await grain.CreateAsync(LiveSettings);
        HubConsumer consumer;
        try
        {
            consumer = Track(connectionId, topic, name, isLive: true, maxInFlight);
        }
        catch
        {
            await DeleteLiveAsync(grain);
            throw;
        }

        try
        {
            await grain.AttachAsync(consumer.Registration(Reference()));
        }
        catch
        {
            await ReleaseAsync(consumer);
            throw;
        }

        await DetachIfReleasedAsync(consumer);
        return name;
    }

    private HubConsumer Track(string connectionId, string topic, string subscription, bool isLive, int maxInFlight)
    {
        var grain = grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription));
        var consumer = new HubConsumer(registry.NewConsumerId(connectionId), connectionId, topic, subscription, isLive, maxInFlight, grain, hub, loggers.CreateLogger<HubConsumer>());
        registry.Add(consumer);

        // Sending starts before the attach returns: the grain may push at once.
        consumer.Start();
        return consumer;
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
        }
        catch (ActorMessagingException exception) when (exception.Code == ErrorCode.SubscriptionNotFound && consumer.IsLive)
        {
            // Someone deleted the live subscription (or the topic went): a live subscription only promises
            // messages from now on, so it is created again under the same name while its connection is here.
            await RecreateLiveAsync(consumer);
            return;
        }
        catch (ActorMessagingException exception) when (exception.Code is ErrorCode.SubscriptionNotFound or ErrorCode.TopicNotFound)
        {
            LogSubscriptionGone(consumer.Topic, consumer.Subscription, consumer.ConnectionId);
            await ReleaseAsync(consumer, attached: false);
            return;
        }
        catch (Exception exception)
        {
            // Retried at the next renewal; the registration lives three renewal intervals.
            LogRenewFailed(exception, consumer.Topic, consumer.Subscription, consumer.ConsumerId);
            return;
        }

        await DetachIfReleasedAsync(consumer);
    }

    private async Task RecreateLiveAsync(HubConsumer consumer)
    {
        try
        {
            await consumer.Grain.CreateAsync(LiveSettings);
            await consumer.Grain.AttachAsync(consumer.Registration(Reference()));
            LogLiveRecreated(consumer.Topic, consumer.Subscription);
        }
        catch (ActorMessagingException exception) when (exception.Code == ErrorCode.TopicNotFound)
        {
            LogSubscriptionGone(consumer.Topic, consumer.Subscription, consumer.ConnectionId);
            await ReleaseAsync(consumer, attached: false);
            return;
        }
        catch (Exception exception)
        {
            LogRenewFailed(exception, consumer.Topic, consumer.Subscription, consumer.ConsumerId);
            return;
        }

        await DetachIfReleasedAsync(consumer);
    }

    /// <summary>Removes the consumer and undoes what it holds at the grain; failures are logged, the registration then expires on its own.</summary>
    private async Task ReleaseAsync(HubConsumer consumer, bool attached)
    {
        registry.Remove(consumer);
        consumer.Stop();
        try
        {
            if (attached)
            {
                await consumer.Grain.DetachAsync(consumer.ConsumerId);
            }

            if (consumer.IsLive)
            {
                await DeleteLiveAsync(consumer.Grain);
            }
        }
        catch (Exception exception)
        {
            LogReleaseFailed(exception, consumer.Topic, consumer.Subscription, consumer.ConsumerId);
        }
    }

    private Task ReleaseAsync(HubConsumer consumer) => ReleaseAsync(consumer, attached: true);

    private static async Task DeleteLiveAsync(ISubscriptionGrain grain)
    {
        try
        {
            await grain.DeleteAsync();
        }
        catch (ActorMessagingException exception) when (exception.Code is ErrorCode.SubscriptionNotFound or ErrorCode.TopicNotFound)
        {
            // Already gone, with its topic or by someone else's hand.
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Live subscription {Topic}/{Subscription} was deleted while its connection was here; created it again")]
    private partial void LogLiveRecreated(string topic, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing consumer {ConsumerId} of {Topic}/{Subscription} failed; retrying at the next renewal")]
    private partial void LogRenewFailed(Exception exception, string topic, string subscription, string consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing consumer {ConsumerId} of {Topic}/{Subscription} failed; its registration expires on its own")]
    private partial void LogReleaseFailed(Exception exception, string topic, string subscription, string consumerId);
}
