using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    internal static readonly TimeSpan ConsumerLifetime = TimeSpan.FromSeconds(60);
    private const int MaxConsumerIdLength = 256;

    public Task<TimeSpan> AttachAsync(ConsumerRegistration consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        if (string.IsNullOrEmpty(consumer.ConsumerId) || consumer.ConsumerId.Length > MaxConsumerIdLength)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"A consumer id needs 1 to {MaxConsumerIdLength} characters.");
        }

        if (consumer.MaxInFlight < 1 || consumer.MaxInFlight > ConsumerRegistration.MaxInFlightLimit)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"maxInFlight must be between 1 and {ConsumerRegistration.MaxInFlightLimit}, was {consumer.MaxInFlight}.");
        }

        EnsureExists();
        var now = clock.UtcNow;
        if (_consumers.Attach(consumer, now + ConsumerLifetime))
        {
            LogConsumerAttached(_topic, _name, consumer.ConsumerId, consumer.MaxInFlight);
        }

        KeepTicking();
        EnsureWatching(now);
        Tick();
        return Task.FromResult(ConsumerLifetime);
    }

    public Task DetachAsync(string consumerId)
    {
        if (_consumers.Contains(consumerId ?? string.Empty))
        {
            Detach(consumerId!, clock.UtcNow);
        }

        return Task.CompletedTask;
    }

    private void Detach(string consumerId, DateTimeOffset now)
    {
        _consumers.Remove(consumerId);

        // A consumer that left cannot ack: its deliveries go back at once instead of waiting out the lease.
        foreach (var pending in _ledger.Pending.Where(p => p.ConsumerId == consumerId).ToList())
        {
            EndLease(pending);
            _ready.Add(pending, now);
        }

        LogConsumerDetached(_topic, _name, consumerId);
        Pump(now);
    }

    private void ExpireConsumers(DateTimeOffset now)
    {
        foreach (var consumer in _consumers.ExpiredBy(now))
        {
            Detach(consumer.Id, now);
        }
    }

    /// <summary>Sends to one consumer until its window is full; one call in flight per consumer, so a slow one slows only itself.</summary>
    private async Task PushAsync(AttachedConsumer consumer)
    {
        consumer.Sending = true;
        try
        {
            while (_consumers.Contains(consumer.Id) && consumer.Credit > 0)
            {
                var deliveries = Take(Math.Min(consumer.Credit, MaxPushBatch), consumer, clock.UtcNow);
                if (deliveries.Count == 0)
                {
                    return;
                }

                try
                {
                    await consumer.Registration.Observer.DeliverAsync(_topic, _name, consumer.Id, deliveries);
                    consumer.ConsecutiveFailures = 0;
                }
                catch (Exception exception)
                {
                    // The leases stay: if the deliveries did arrive they can still be acked, otherwise they expire.
                    LogPushFailed(exception, _topic, _name, consumer.Id);
                    if (++consumer.ConsecutiveFailures >= MaxConsecutivePushFailures && _consumers.Contains(consumer.Id))
                    {
                        Detach(consumer.Id, clock.UtcNow);
                    }

                    return;
                }
            }
        }
        finally
        {
            consumer.Sending = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consumer {ConsumerId} attached to {Topic}/{Subscription} with max in flight {MaxInFlight}")]
    private partial void LogConsumerAttached(string topic, string subscription, string consumerId, int maxInFlight);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consumer {ConsumerId} detached from {Topic}/{Subscription}")]
    private partial void LogConsumerDetached(string topic, string subscription, string consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push to consumer {ConsumerId} of {Topic}/{Subscription} failed")]
    private partial void LogPushFailed(Exception exception, string topic, string subscription, string consumerId);
}
