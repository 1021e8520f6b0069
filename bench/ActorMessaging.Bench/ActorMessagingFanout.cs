using System.Globalization;
using ActorMessaging.Contracts;
using ActorMessaging.Gateway;
using ActorMessaging.Hosting;
using ActorMessaging.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Bench;

/// <summary>
/// The co-hosted platform (silo + gateway) in this process, as <c>dotnet run --project silo/ActorMessaging.Silo</c>
/// serves it (Development: auth off); subscribers are SignalR .NET clients on <c>/hubs/messaging</c> with a live
/// subscription each; messages are published straight to the topic grain (<c>ITopicGrain.PublishAsync</c>).
/// </summary>
internal sealed class ActorMessagingFanout : IFanoutSystem
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly Uri _hub;
    private readonly List<HubConnection> _connections = [];
    private ITopicGrain? _topic;
    private int _topics;

    private ActorMessagingFanout(WebApplication app, string folder, Uri hub, string store)
    {
        _app = app;
        _folder = folder;
        _hub = hub;
        Name = $"ActorMessaging ({store})";
    }

    public string Name { get; }

    public string PublishPath => "IGrainFactory → ITopicGrain.PublishAsync (durable, returns once stored)";

    public static async Task<ActorMessagingFanout> StartAsync(BenchStore store, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("am-fanout-").FullName;
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorMessaging:Storage:Provider"] = store == BenchStore.Memory ? "Memory" : "Sqlite",
            ["ActorMessaging:Storage:ConnectionString"] = store == BenchStore.Memory ? null : $"Data Source={Path.Combine(folder, "actormessaging.db")}",
            ["ActorMessaging:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ActorMessaging:Cluster:ClientPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{port}",
        });
        FanoutHosts.QuietLogging(builder.Logging);
        builder.AddActorMessagingSilo();
        builder.AddActorMessagingGateway();
        var app = builder.Build();
        app.MapActorMessagingSilo();
        app.MapActorMessagingGateway();
        await app.StartAsync(cancellationToken);
        return new ActorMessagingFanout(app, folder, new Uri($"http://127.0.0.1:{port}/hubs/messaging"), store == BenchStore.Memory ? "memory" : "sqlite");
    }

    public async Task ConnectAsync(IReadOnlyList<FanoutReceiver> receivers, FanoutProtocol protocol, CancellationToken cancellationToken)
    {
        var name = $"fanout-{++_topics}";
        _topic = _app.Services.GetRequiredService<IGrainFactory>().GetGrain<ITopicGrain>(name);
        await _topic.CreateAsync(new TopicSettings());
        await FanoutHosts.ForEachBoundedAsync(receivers, async receiver =>
        {
            var connection = FanoutProtocols.Connection(_hub, protocol);
            connection.On<ReceivedMessage[]>("Deliver", messages => Receive(receiver, messages));
            await connection.StartAsync(cancellationToken);
            await connection.InvokeCoreAsync<string>("Subscribe", [name, null, new { maxInFlight = 1000 }], cancellationToken);
            lock (_connections)
            {
                _connections.Add(connection);
            }
        });
    }

    /// <summary>
    /// Counts a <c>Deliver</c> call's messages; the stamp is the payload's first 8 bytes (MessagePack), the first
    /// 12 base64 characters (JSON).
    /// </summary>
    public static void Receive(FanoutReceiver receiver, ReceivedMessage[] messages)
    {
        Span<byte> stamp = stackalloc byte[9];
        foreach (var message in messages)
        {
            if (message.DataBytes is { } bytes)
            {
                receiver.OnPayload(bytes.Span);
            }
            else if (Convert.TryFromBase64Chars(message.DataBase64.AsSpan(0, 12), stamp, out _))
            {
                receiver.OnPayload(stamp);
            }
        }
    }

    public async Task PublishAsync(int count, long stamp)
    {
        var batch = new OutgoingMessage[count];
        for (var i = 0; i < count; i++)
        {
            batch[i] = new OutgoingMessage(null, FanoutPayload.Create(stamp), "application/octet-stream");
        }

        await _topic!.PublishAsync(batch);
    }

    public async Task DisconnectAsync()
    {
        await FanoutHosts.ForEachBoundedAsync(_connections, c => c.DisposeAsync().AsTask());
        _connections.Clear();
        if (_topic is not null)
        {
            await _topic.DeleteAsync();
            _topic = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
