using System.Threading.Channels;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// One connection attached to one subscription: the grain's push consumer <see cref="ConsumerId"/>.
/// Deliveries the observer receives are queued here and sent by this consumer's own loop, so a
/// connection that reads slowly holds up nothing but itself.
/// </summary>
internal sealed partial class HubConsumer : IHubSubscription
{
    // One Deliver call carries at most this much, so a large backlog does not become one huge frame.
    private const int MaxMessagesPerSend = 500;
    private const int MaxBytesPerSend = 1024 * 1024;

    // Not SingleReader: that channel cannot count, and the count is what bounds the queue.
    private readonly Channel<Delivery> _queue = Channel.CreateUnbounded<Delivery>();
    private readonly IHubContext<MessagingHub> _hub;
    private readonly ILogger _logger;
    private volatile int _maxInFlight;
    private volatile bool _stopped;
    private volatile bool _renewalFailed;

    public HubConsumer(string consumerId, string connectionId, string topic, string subscription, int maxInFlight, ISubscriptionGrain grain, IHubContext<MessagingHub> hub, ILogger logger)
    {
        ConsumerId = consumerId;
        ConnectionId = connectionId;
        Topic = topic;
        Subscription = subscription;
        _maxInFlight = maxInFlight;
        Grain = grain;
        _hub = hub;
        _logger = logger;
    }

    public string ConsumerId { get; }

    public string Id => ConsumerId;

    public string ConnectionId { get; }

    public string Topic { get; }

    public string Subscription { get; }

    public ISubscriptionGrain Grain { get; }

    public int MaxInFlight
    {
        get => _maxInFlight;
        set => _maxInFlight = value;
    }

    public bool IsStopped => _stopped;

    /// <summary>The last renewal of this attachment failed; it is retried before the next regular renewal.</summary>
    public bool RenewalFailed
    {
        get => _renewalFailed;
        set => _renewalFailed = value;
    }

    public ConsumerRegistration Registration(IDeliveryObserver observer) => new(ConsumerId, observer, MaxInFlight);

    public void Start() => _ = Task.Run(SendLoopAsync);

    /// <summary>Takes deliveries from the grain; never waits for the connection.</summary>
    public void Enqueue(IReadOnlyList<Delivery> deliveries)
    {
        foreach (var delivery in deliveries)
        {
            _queue.Writer.TryWrite(delivery);
        }
    }

    /// <summary>
    /// Stops sending; what is still queued is dropped (its leases expire, or the detach that follows releases them).
    /// A send already handed to SignalR is not waited for: a stalled connection must not stall the caller.
    /// </summary>
    public void Stop()
    {
        _stopped = true;
        _queue.Writer.TryComplete();
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await SendQueuedAsync();
        }
        catch (Exception exception)
        {
            // Stopped, the observer detaches this consumer at its next delivery; its leases go to others.
            LogSendLoopFailed(exception, Topic, Subscription, ConsumerId);
            Stop();
        }
    }

    private async Task SendQueuedAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            if (_stopped)
            {
                return;
            }

            DropEndedLeases(reader);
            var batch = new List<Delivery>();
            var bytes = 0;
            while (batch.Count < MaxMessagesPerSend && bytes < MaxBytesPerSend && reader.TryRead(out var delivery))
            {
                batch.Add(delivery);
                bytes += delivery.Message.Size;
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch);
            }
        }
    }

    /// <summary>
    /// The grain never leases more than <see cref="MaxInFlight"/> to this consumer, so when more are queued
    /// (the connection stalled past the ack deadline and the grain redelivered), the surplus are the oldest
    /// ones and their leases have ended: sending them would only hand out ack ids that no longer work.
    /// </summary>
    private void DropEndedLeases(ChannelReader<Delivery> reader)
    {
        var surplus = reader.Count - MaxInFlight;
        var dropped = 0;
        while (dropped < surplus && reader.TryRead(out _))
        {
            dropped++;
        }

        if (dropped > 0)
        {
            LogDroppedEnded(dropped, Topic, Subscription, ConsumerId);
        }
    }

    private async Task SendAsync(List<Delivery> batch)
    {
        var messages = batch.ConvertAll(d => HubMessages.ToWire(Topic, Subscription, d));
        try
        {
            // Completes once SignalR has the frame (its transport buffer applies backpressure).
            using var sending = SendSpans.Start(Topic, Subscription, batch);
            await _hub.Clients.Client(ConnectionId).SendAsync(MessagingHub.DeliverMethod, messages);
        }
        catch (Exception exception)
        {
            // The leases stay: they expire and the messages come back.
            LogSendFailed(exception, Topic, Subscription, ConsumerId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped {Count} queued deliveries of {Topic}/{Subscription} for consumer {ConsumerId}: their leases ended before the connection took them")]
    private partial void LogDroppedEnded(int count, string topic, string subscription, string consumerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The send loop of consumer {ConsumerId} of {Topic}/{Subscription} stopped")]
    private partial void LogSendLoopFailed(Exception exception, string topic, string subscription, string consumerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending deliveries of {Topic}/{Subscription} to consumer {ConsumerId} failed")]
    private partial void LogSendFailed(Exception exception, string topic, string subscription, string consumerId);
}
