using System.Globalization;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Bench;

/// <summary>
/// The minimal SignalR hub again, but sending what the gateway sends: <c>Deliver([message])</c> with a
/// <see cref="ReceivedMessage"/> filled like a live delivery (ack id, topic, subscription, publish time, base64
/// payload), parsed by clients as <c>ReceivedMessage[]</c>. Beside <see cref="SignalRFanout"/> it separates what the
/// message shape costs from what the platform costs.
/// </summary>
internal sealed class SignalRDeliverShapeFanout : IFanoutSystem
{
    private readonly WebApplication _app;
    private readonly Uri _hub;
    private readonly IHubContext<BroadcastHub> _context;
    private readonly List<HubConnection> _connections = [];
    private long _sequence;

    private SignalRDeliverShapeFanout(WebApplication app, Uri hub)
    {
        _app = app;
        _hub = hub;
        _context = app.Services.GetRequiredService<IHubContext<BroadcastHub>>();
    }

    public string Name => "minimal SignalR hub, Deliver shape";

    public string PublishPath => "IHubContext.Clients.All.SendAsync(\"Deliver\", [ReceivedMessage]), one call per message";

    public static async Task<SignalRDeliverShapeFanout> StartAsync(CancellationToken cancellationToken)
    {
        var (builder, address) = FanoutHosts.MinimalBuilder();
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapHub<BroadcastHub>("/broadcast");
        await app.StartAsync(cancellationToken);
        return new SignalRDeliverShapeFanout(app, new Uri(address, "broadcast"));
    }

    public Task ConnectAsync(IReadOnlyList<FanoutReceiver> receivers, CancellationToken cancellationToken) =>
        FanoutHosts.ForEachBoundedAsync(receivers, async receiver =>
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(_hub, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                .Build();
            connection.On<ReceivedMessage[]>("Deliver", messages => ActorMessagingFanout.Receive(receiver, messages));
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
            var sequence = Interlocked.Increment(ref _sequence);
            var message = new ReceivedMessage
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
            await _context.Clients.All.SendAsync("Deliver", new[] { message });
        }
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
