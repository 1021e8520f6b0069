using System.Globalization;
using ActorMessaging.Client;
using ActorMessaging.Contracts;
using ActorMessaging.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Bench;

/// <summary>
/// The co-hosted platform in this process (<see cref="GatewayHost"/>, Development: auth off) with the two clients the
/// <c>sdk</c> command compares: an <see cref="ActorMessagingClient"/>, and hub connections of the raw SignalR client
/// opened the same way the SDK opens its own (WebSockets, negotiation skipped).
/// </summary>
internal sealed class SdkPlatform : IAsyncDisposable
{
    private readonly GatewayHost _host;
    private readonly string? _folder;
    private int _topics;

    private readonly FanoutProtocol _protocol;

    private SdkPlatform(GatewayHost host, string? folder, FanoutProtocol protocol)
    {
        _host = host;
        _folder = folder;
        _protocol = protocol;
        var hubProtocol = protocol == FanoutProtocol.MessagePack ? ActorMessagingHubProtocol.MessagePack : ActorMessagingHubProtocol.Json;
        Client = new ActorMessagingClient(host.Address, new ActorMessagingClientOptions { HubProtocol = hubProtocol });
        Admin = new ActorMessagingAdministrationClient(host.Address);
    }

    public ActorMessagingClient Client { get; }

    public ActorMessagingAdministrationClient Admin { get; }

    public IGrainFactory Grains => _host.Grains;

    public static async Task<SdkPlatform> StartAsync(BenchStore store, FanoutProtocol protocol)
    {
        var folder = store == BenchStore.Sqlite ? Directory.CreateTempSubdirectory("am-sdk-").FullName : null;
        var settings = new Dictionary<string, string?>
        {
            ["ActorMessaging:Storage:Provider"] = store == BenchStore.Sqlite ? "Sqlite" : "Memory",
            ["ActorMessaging:Storage:ConnectionString"] = folder is null ? null : $"Data Source={Path.Combine(folder, "actormessaging.db")}",

            // One caller sends thousands of calls a second here; the per-caller rate limit (on in Development too) would measure itself.
            ["ActorMessaging:Gateway:RateLimit:PermitsPerSecond"] = "0",
        };
        var host = await GatewayHost.StartAsync(settings, services => services.AddLogging(logging => FanoutHosts.QuietLogging(logging)));
        return new SdkPlatform(host, folder, protocol);
    }

    /// <summary>A new topic, and a subscription on it that starts at its beginning when <paramref name="subscription"/> is given.</summary>
    public async Task<string> CreateTopicAsync(string? subscription = null)
    {
        var topic = string.Create(CultureInfo.InvariantCulture, $"sdk-bench-{Interlocked.Increment(ref _topics)}");
        await Admin.CreateOrUpdateTopicAsync(topic);
        if (subscription is not null)
        {
            await Admin.CreateOrUpdateSubscriptionAsync(topic, subscription, new SubscriptionConfiguration { StartAt = "earliest" });
        }

        return topic;
    }

    /// <summary>A raw SignalR client connection to the hub, opened as the SDK opens its own.</summary>
    public async Task<HubConnection> ConnectRawAsync()
    {
        var connection = _protocol == FanoutProtocol.MessagePack
            ? FanoutProtocols.Connection(new Uri(_host.Address, "hubs/messaging"), _protocol)
            : new HubConnectionBuilder()
                .WithUrl(new Uri(_host.Address, "hubs/messaging"), HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                .AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)
                .Build();
        await connection.StartAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Admin.Dispose();
        await _host.DisposeAsync();
        if (_folder is not null)
        {
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
}
