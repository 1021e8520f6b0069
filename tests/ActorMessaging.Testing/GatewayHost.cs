using System.Net.Sockets;
using ActorMessaging.Gateway;
using ActorMessaging.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Testing;

/// <summary>
/// The real co-hosted platform (silo + gateway, memory storage) on loopback ports, composed as
/// <c>silo/ActorMessaging.Silo/Program.cs</c> composes it, started in the test process.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address, int clientPort)
    {
        _app = app;
        Address = address;
        ClientPort = clientPort;
        Http = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>The port Orleans clients (a standalone gateway process) connect to; the cluster and service ids are the defaults.</summary>
    public int ClientPort { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    /// <param name="settings">Extra configuration (keys as in appsettings, e.g. "ActorMessaging:Auth:Mode").</param>
    /// <param name="services">Extra service registrations, e.g. a fake BrokerClock.</param>
    /// <param name="environment">The host environment; Development unless a test says otherwise.</param>
    public static async Task<GatewayHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        string environment = "Development")
    {
        // A port FreePort found free can be taken before the host binds it (another host starting, or an outgoing
        // connection given the same ephemeral port): then the host starts again on other ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(settings, services, environment);
            }
            catch (Exception exception) when (attempt < 5 && IsAddressInUse(exception))
            {
                // Again, on fresh ports.
            }
        }
    }

    private static async Task<GatewayHost> StartOnFreePortsAsync(IDictionary<string, string?>? settings, Action<IServiceCollection>? services, string environment)
    {
        var port = FreePort.Next();
        var clientPort = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorMessaging:Storage:Provider"] = "Memory",
            ["ActorMessaging:Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ActorMessaging:Cluster:ClientPort"] = clientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{port}",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults();
        builder.AddActorMessagingSilo();
        builder.AddActorMessagingGateway();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapActorMessagingSilo();
        app.MapActorMessagingGateway();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A host that failed to start still holds the silo's ports and threads.
            await app.DisposeAsync();
            throw;
        }

        return new GatewayHost(app, new Uri($"http://127.0.0.1:{port}/"), clientPort);
    }

    private static bool IsAddressInUse(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } or Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
