namespace ActorMessaging.Gateway.Tests;

/// <summary>One production host with API keys, JWT and CORS, shared by the security tests that use their own topics and callers.</summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    private GatewayHost? _host;

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public HttpClient Http => Host.Http;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(SecurityTestSetup.KeysAndJwt(), environment: "Production");

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
