using System.Collections.Concurrent;
using ActorMessaging.Contracts;
using ActorMessaging.Contracts.MessagePack;
using ActorMessaging.Gateway.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Gateway.Tests;

/// <summary>A stock .NET SignalR client connected to <c>/hubs/messaging</c> that records every delivery.</summary>
internal sealed class HubTestClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedMessage> _received = new();

    private HubTestClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    private readonly ConcurrentQueue<object> _arrivals = new();

    /// <summary>Everything delivered so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedMessage> Received => [.. _received];

    /// <summary>The gaps live subscriptions reported (<c>Gap</c> calls), in arrival order.</summary>
    public IReadOnlyList<LiveGap> Gaps => [.. _arrivals.OfType<LiveGap>()];

    /// <summary>Deliveries (<see cref="ReceivedMessage"/>) and gaps (<see cref="LiveGap"/>) in the order they arrived.</summary>
    public IReadOnlyList<object> Arrivals => [.. _arrivals];

    private readonly ConcurrentQueue<Exception> _ackErrors = new();
    private (string Topic, string Subscription)? _autoAck;

    /// <summary>Acks that failed while auto-acking.</summary>
    public IReadOnlyList<Exception> AckErrors => [.. _ackErrors];

    /// <summary>Acks every delivery of the subscription as it arrives (from a background task: awaiting a hub call inside a handler would hold up the client's receive loop).</summary>
    public void AutoAck(string topic, string subscription) => _autoAck = (topic, subscription);

    public static Task<HubTestClient> ConnectAsync(Uri gateway) => ConnectAsync(gateway, messagePack: false);

    /// <summary>Connects with the MessagePack hub protocol, set up as a .NET application would (<see cref="ActorMessagingMessagePack"/>).</summary>
    public static Task<HubTestClient> ConnectMessagePackAsync(Uri gateway) => ConnectAsync(gateway, messagePack: true);

    private static async Task<HubTestClient> ConnectAsync(Uri gateway, bool messagePack)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(gateway, MessagingHub.Path));
        if (messagePack)
        {
            builder.AddMessagePackProtocol(o => o.SerializerOptions = ActorMessagingMessagePack.SerializerOptions);
        }

        var connection = builder.Build();
        var client = new HubTestClient(connection);
        connection.On<List<ReceivedMessage>>(MessagingHub.DeliverMethod, messages =>
        {
            foreach (var message in messages)
            {
                client._received.Enqueue(message);
                client._arrivals.Enqueue(message);
            }

            if (client._autoAck is { } target)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await client.AckAsync(target.Topic, target.Subscription, messages.Select(m => m.AckId));
                    }
                    catch (Exception exception)
                    {
                        client._ackErrors.Enqueue(exception);
                    }
                });
            }
        });
        connection.On<LiveGap>(MessagingHub.GapMethod, gap => client._arrivals.Enqueue(gap));
        await connection.StartAsync();
        return client;
    }

    public Task<List<PublishMessageResult>> PublishAsync(string topic, params object[] messages) =>
        Connection.InvokeAsync<List<PublishMessageResult>>("Publish", topic, messages);

    /// <summary>Publishes <paramref name="count"/> JSON messages <c>{"n": i}</c>.</summary>
    public Task<List<PublishMessageResult>> PublishNumbersAsync(string topic, int count, int first = 0) =>
        PublishAsync(topic, [.. Enumerable.Range(first, count).Select(i => (object)new { data = new { n = i } })]);

    public Task<string> SubscribeAsync(string topic, string? subscription, int? maxInFlight = null) =>
        Connection.InvokeAsync<string>("Subscribe", topic, subscription, maxInFlight is null ? null : new { maxInFlight });

    public Task UnsubscribeAsync(string topic, string subscription) =>
        Connection.InvokeAsync("Unsubscribe", topic, subscription);

    public Task<List<AckIdFailure>> AckAsync(string topic, string subscription, IEnumerable<string> ackIds) =>
        Connection.InvokeAsync<List<AckIdFailure>>("Ack", topic, subscription, ackIds.ToList());

    public Task<List<AckIdFailure>> NackAsync(string topic, string subscription, IEnumerable<string> ackIds, double? delaySeconds) =>
        Connection.InvokeAsync<List<AckIdFailure>>("Nack", topic, subscription, ackIds.ToList(), delaySeconds);

    /// <summary>Waits until at least <paramref name="count"/> deliveries arrived.</summary>
    public Task WaitForAsync(int count, string? what = null, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => _received.Count >= count, what ?? $"{count} deliveries", timeout);

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
