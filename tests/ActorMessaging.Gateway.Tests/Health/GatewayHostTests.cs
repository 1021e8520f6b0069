using System.Net;
using System.Net.Http.Json;
using ActorMessaging.Gateway.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorMessaging.Gateway.Tests;

public sealed class GatewayHostTests
{
    [Fact]
    public async Task CoHostedPlatform_StartsAndReportsHealthy()
    {
        await using var host = await GatewayHost.StartAsync();

        var response = await host.Http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StoppingGateway_RefusesNewRequestsAndHubConnections_WithUnavailable()
    {
        // Regression: a client reconnecting right after SignalR closed its connection at shutdown opened a new WebSocket
        // that Kestrel then waited on for the whole 30 s shutdown timeout.
        await using var host = await GatewayHost.StartAsync();
        await using var connected = await HubTestClient.ConnectAsync(host.Address);

        // Stopping begins (ApplicationStopping); Kestrel still listens until the host stops its services.
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        using var health = await host.Http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("1", health.Headers.RetryAfter?.ToString());
        Assert.True(health.Headers.ConnectionClose);
        var problem = await health.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(nameof(ErrorCode.Unavailable), problem.GetProperty("error").GetString());

        await using var late = new HubConnectionBuilder().WithUrl(new Uri(host.Address, "/hubs/messaging")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => late.StartAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        await Eventually.TrueAsync(() => connected.Connection.State == HubConnectionState.Disconnected, "the open hub connection to be closed");
    }
}
