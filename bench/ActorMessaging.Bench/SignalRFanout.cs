using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Bench;

/// <summary>
/// The minimal SignalR baseline: a hub with no state; the server pushes every message with
/// <c>Clients.All.SendAsync("m", payload)</c> (one invocation per message, JSON protocol, as the gateway uses).
/// </summary>
internal sealed class SignalRFanout : IFanoutSystem
{
    private readonly WebApplication _app;
    private readonly Uri _hub;
    private readonly IHubContext<BroadcastHub> _context;
    private readonly List<HubConnection> _connections = [];

    private SignalRFanout(WebApplication app, Uri hub)
    {
        _app = app;
        _hub = hub;
        _context = app.Services.GetRequiredService<IHubContext<BroadcastHub>>();
    }

    public string Name => "minimal SignalR hub";

    public string PublishPath => "IHubContext.Clients.All.SendAsync(\"m\", payload), one call per message";

    public static async Task<SignalRFanout> StartAsync(CancellationToken cancellationToken)
    {
        var (builder, address) = FanoutHosts.MinimalBuilder();
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapHub<BroadcastHub>("/broadcast");
        await app.StartAsync(cancellationToken);
        return new SignalRFanout(app, new Uri(address, "broadcast"));
    }

    public Task ConnectAsync(IReadOnlyList<FanoutReceiver> receivers, CancellationToken cancellationToken) =>
        FanoutHosts.ForEachBoundedAsync(receivers, async receiver =>
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(_hub, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                .Build();
            connection.On<byte[]>("m", payload => receiver.OnPayload(payload));
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
            await _context.Clients.All.SendAsync("m", FanoutPayload.Create(stamp));
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

/// <summary>The baseline hub: <c>Broadcast(payload)</c> sends it to every connection.</summary>
internal sealed class BroadcastHub : Hub
{
    public Task Broadcast(byte[] payload) => Clients.All.SendAsync("m", payload);
}
