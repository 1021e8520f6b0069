using System.Globalization;
using ActorMessaging.Contracts;
using ActorMessaging.Contracts.MessagePack;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Bench;

/// <summary>
/// The minimal SignalR baseline: a hub with no state; the server pushes every message with
/// <c>Clients.All.SendAsync("m", payload)</c> (one invocation per message, JSON protocol, as the gateway uses).
/// With <c>deliverShape</c> it sends what the gateway sends instead: <c>Deliver([message])</c> with a
/// <see cref="ReceivedMessage"/> filled like a live delivery, parsed by clients as <c>ReceivedMessage[]</c>; beside
/// the plain baseline that separates what the message shape costs from what the platform costs. The hub also
/// speaks MessagePack (the payload as binary, the shape with the gateway's own formatters), chosen per client.
/// </summary>
internal sealed class SignalRFanout : IFanoutSystem
{
    public const string PlainName = "minimal SignalR hub";
    public const string DeliverShapeName = "minimal SignalR hub, Deliver shape";

    private readonly WebApplication _app;
    private readonly Uri _hub;
    private readonly bool _deliverShape;
    private readonly IHubContext<BroadcastHub> _context;
    private readonly List<HubConnection> _connections = [];
    private long _sequence;

    private SignalRFanout(WebApplication app, Uri hub, bool deliverShape)
    {
        _app = app;
        _hub = hub;
        _deliverShape = deliverShape;
        _context = app.Services.GetRequiredService<IHubContext<BroadcastHub>>();
    }

    public string Name => _deliverShape ? DeliverShapeName : PlainName;

    public string PublishPath => _deliverShape
        ? "IHubContext.Clients.All.SendAsync(\"Deliver\", [ReceivedMessage]), one call per message"
        : "IHubContext.Clients.All.SendAsync(\"m\", payload), one call per message";

    public static async Task<SignalRFanout> StartAsync(bool deliverShape, CancellationToken cancellationToken)
    {
        var (builder, address) = FanoutHosts.MinimalBuilder();
        builder.Services.AddSignalR().AddMessagePackProtocol(o => o.SerializerOptions = ActorMessagingMessagePack.SerializerOptions);
        var app = builder.Build();
        app.MapHub<BroadcastHub>("/broadcast");
        await app.StartAsync(cancellationToken);
        return new SignalRFanout(app, new Uri(address, "broadcast"), deliverShape);
    }

    public Task ConnectAsync(IReadOnlyList<FanoutReceiver> receivers, FanoutProtocol protocol, CancellationToken cancellationToken) =>
        FanoutHosts.ForEachBoundedAsync(receivers, async receiver =>
        {
            var connection = FanoutProtocols.Connection(_hub, protocol);
            if (_deliverShape)
            {
                connection.On<ReceivedMessage[]>("Deliver", messages => ActorMessagingFanout.Receive(receiver, messages));
            }
            else
            {
                connection.On<byte[]>("m", payload => receiver.OnPayload(payload));
            }

            await connection.StartAsync(cancellationToken);
            lock (_connections)
            {
                _connections.Add(connection);
            }
        });

    public async Task PublishAsync(int count, long stamp)
    {
        for (var i = 0; i < count; i++)
        {
            await (_deliverShape
                ? _context.Clients.All.SendAsync("Deliver", new[] { DeliverShaped(stamp) })
                : _context.Clients.All.SendAsync("m", FanoutPayload.Create(stamp)));
        }
    }

    private ReceivedMessage DeliverShaped(long stamp)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        return new ReceivedMessage
        {
            AckId = "live-" + sequence.ToString("x", CultureInfo.InvariantCulture),
            Sequence = sequence,
            PublishedAt = DateTimeOffset.UtcNow,
            DeliveryAttempt = 1,
            DataBase64 = Convert.ToBase64String(FanoutPayload.Create(stamp)),
            ContentType = "application/octet-stream",
            Topic = "fanout-1",
            Subscription = "live-" + Guid.NewGuid().ToString("N"),
        };
    }

    public async Task DisconnectAsync()
    {
        await FanoutHosts.ForEachBoundedAsync(_connections, c => c.DisposeAsync().AsTask());
        _connections.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The baseline hub: <c>Broadcast(payload)</c> sends it to every connection.</summary>
internal sealed class BroadcastHub : Hub
{
    public Task Broadcast(byte[] payload) => Clients.All.SendAsync("m", payload);
}
