namespace ActorMessaging.Gateway.Tests;

/// <summary>One co-hosted platform shared by the hub tests that do not interfere (each uses its own topics).</summary>
public sealed class HubFixture : IAsyncLifetime
{
    private GatewayHost? _host;

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
