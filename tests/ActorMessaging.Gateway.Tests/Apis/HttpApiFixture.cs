namespace ActorMessaging.Gateway.Tests;

/// <summary>One co-hosted platform per HTTP test class; tests keep apart by using unique topic names.</summary>
public sealed class HttpApiFixture : IAsyncLifetime
{
    private GatewayHost? _host;

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public HttpClient Http => Host.Http;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
