namespace ActorMessaging.Gateway.Tests;

/// <summary>A host whose callers may make 3 requests at once and 1 per second after that.</summary>
public sealed class SecurityRateLimitFixture : IAsyncLifetime
{
    public const int Burst = 3;
    public const string HttpCallerKey = "rate-http-key-0123456789abcdef";
    public const string OtherCallerKey = "rate-other-key-0123456789abcdef";
    public const string HubCallerKey = "rate-hub-key-0123456789abcdef";

    private GatewayHost? _host;

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(new Dictionary<string, string?>
    {
        ["ActorMessaging:Auth:Mode"] = "Keys",
        ["ActorMessaging:Auth:ApiKeys:0:Key"] = HttpCallerKey,
        ["ActorMessaging:Auth:ApiKeys:0:Name"] = "http-caller",
        ["ActorMessaging:Auth:ApiKeys:0:Permissions:0"] = "admin",
        ["ActorMessaging:Auth:ApiKeys:1:Key"] = OtherCallerKey,
        ["ActorMessaging:Auth:ApiKeys:1:Name"] = "other-caller",
        ["ActorMessaging:Auth:ApiKeys:1:Permissions:0"] = "admin",
        ["ActorMessaging:Auth:ApiKeys:2:Key"] = HubCallerKey,
        ["ActorMessaging:Auth:ApiKeys:2:Name"] = "hub-caller",
        ["ActorMessaging:Auth:ApiKeys:2:Permissions:0"] = "admin",
        ["ActorMessaging:Gateway:RateLimit:PermitsPerSecond"] = "1",
        ["ActorMessaging:Gateway:RateLimit:Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, environment: "Production");

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
