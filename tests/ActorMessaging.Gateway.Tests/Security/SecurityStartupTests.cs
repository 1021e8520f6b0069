using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using ActorMessaging.Gateway.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Open by default in Development only; outside it the host refuses to start without an explicit choice.</summary>
public sealed class SecurityStartupTests
{
    [Fact]
    public async Task Development_IsOpenByDefault()
    {
        await using var host = await GatewayHost.StartAsync();

        await host.Http.SendAsync(HttpMethod.Put, "/v1/topics/dev-open", body: new { }).ExpectAsync(HttpStatusCode.Created);
        await host.Http.SendAsync(HttpMethod.Get, "/v1/topics").ExpectAsync(HttpStatusCode.OK);
        await using var connection = Hub(host.Address);
        await connection.StartAsync();
        Assert.Single(await connection.InvokeAsync<List<object>>("Publish", "dev-open", new[] { new { data = "a" } }));
    }

    [Fact]
    public async Task Development_WithoutAuthentication_ListeningBeyondLoopback_RefusesToStart_NamingAllowAnonymous()
    {
        // Issue 12: open (Mode None) must mean loopback only, whatever the environment, unless the operator says otherwise.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(new Dictionary<string, string?> { ["Urls"] = $"http://0.0.0.0:{FreePort.Next()}" }));

        Assert.Contains("ActorMessaging:Auth:AllowAnonymous=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_WithoutAuthentication_AndAllowAnonymous_MayListenBeyondLoopback()
    {
        var port = FreePort.Next();
        await using var host = await GatewayHost.StartAsync(new Dictionary<string, string?>
        {
            ["Urls"] = $"http://0.0.0.0:{port}",
            ["ActorMessaging:Auth:AllowAnonymous"] = "true",
        });

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await http.SendAsync(HttpMethod.Get, "/v1/topics").ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    public async Task WithoutAuthentication_ARequestForwardedByAProxy_IsRefused_WhileADirectLoopbackOneIsServed(string header, string value)
    {
        // A reverse proxy on the same machine makes every caller loopback: the request it forwards says so.
        await using var host = await GatewayHost.StartAsync();
        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/v1/topics");
        forwarded.Headers.Add(header, value);

        using var response = await host.Http.SendAsync(forwarded);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"code\":4002", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await host.Http.SendAsync(HttpMethod.Get, "/v1/topics").ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("https://LOCALHOST:443", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    [InlineData("http://gateway.example.com:5080", false)]
    public void LoopbackOnlyGuard_TellsLoopbackAddresses(string address, bool loopback) =>
        Assert.Equal(loopback, LoopbackOnlyGuard.IsLoopback(address));

    [Fact]
    public async Task Production_WithoutMode_RefusesToStart_NamingTheKey()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(environment: "Production"));

        Assert.Contains("ActorMessaging:Auth:Mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("ActorMessaging:Auth:AllowAnonymous", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithNone_ButNotAllowAnonymous_RefusesToStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            GatewayHost.StartAsync(new Dictionary<string, string?> { ["ActorMessaging:Auth:Mode"] = "None" }, environment: "Production"));

        Assert.Contains("ActorMessaging:Auth:AllowAnonymous=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_WithNone_AndAllowAnonymous_Starts_Open_WithAWarning()
    {
        var logs = new SecurityLogCapture();
        await using var host = await GatewayHost.StartAsync(
            new Dictionary<string, string?> { ["ActorMessaging:Auth:Mode"] = "None", ["ActorMessaging:Auth:AllowAnonymous"] = "true" },
            services => services.AddSingleton<ILoggerProvider>(logs),
            environment: "Production");

        await host.Http.SendAsync(HttpMethod.Get, "/v1/topics").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("WITHOUT AUTHENTICATION", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ActorMessaging:Auth:ApiKeys", "ActorMessaging:Auth:Mode=Keys")]
    [InlineData("ActorMessaging:Auth:ApiKeys:0:Key", "ActorMessaging:Auth:Mode=Keys", "ActorMessaging:Auth:ApiKeys:0:Key=short", "ActorMessaging:Auth:ApiKeys:0:Name=a")]
    [InlineData("ActorMessaging:Auth:ApiKeys:0:Name", "ActorMessaging:Auth:Mode=Keys", "ActorMessaging:Auth:ApiKeys:0:Key=0123456789abcdef0123")]
    [InlineData("ActorMessaging:Auth:ApiKeys:0:Permissions:1", "ActorMessaging:Auth:Mode=Keys", "ActorMessaging:Auth:ApiKeys:0:Key=0123456789abcdef0123",
        "ActorMessaging:Auth:ApiKeys:0:Name=a", "ActorMessaging:Auth:ApiKeys:0:Permissions:0=admin", "ActorMessaging:Auth:ApiKeys:0:Permissions:1=publsh:orders")]
    [InlineData("ActorMessaging:Auth:Jwt:SigningKey", "ActorMessaging:Auth:Mode=Jwt")]
    [InlineData("ActorMessaging:Auth:Jwt:SigningKey", "ActorMessaging:Auth:Mode=Jwt", "ActorMessaging:Auth:Jwt:SigningKey=only-twenty-bytes-xx")]
    [InlineData("ActorMessaging:Auth:Jwt:SigningKey", "ActorMessaging:Auth:Mode=Jwt", "ActorMessaging:Auth:Jwt:SigningKey=base64:not base64!")]
    [InlineData("ActorMessaging:Auth:Jwt:Audience", "ActorMessaging:Auth:Mode=Jwt", "ActorMessaging:Auth:Jwt:Authority=https://login.example.com")]
    [InlineData("ActorMessaging:Gateway:AllowedOrigins:0", "ActorMessaging:Gateway:AllowedOrigins:0=*")]
    [InlineData("ActorMessaging:Gateway:AllowedOrigins:0", "ActorMessaging:Gateway:AllowedOrigins:0=https://app.example.com/path")]
    [InlineData("ActorMessaging:Gateway:MaxConnectionsPerClient", "ActorMessaging:Gateway:MaxConnectionsPerClient=0")]
    [InlineData("ActorMessaging:Gateway:MaxHubMessageSize", "ActorMessaging:Gateway:MaxHubMessageSize=10")]
    [InlineData("ActorMessaging:Gateway:RateLimit:PermitsPerSecond", "ActorMessaging:Gateway:RateLimit:PermitsPerSecond=-1")]
    [InlineData("ActorMessaging:Gateway:RateLimit:Burst", "ActorMessaging:Gateway:RateLimit:Burst=0")]
    public async Task InvalidSecuritySetting_StopsStartup_NamingTheKey(string named, params string[] settings)
    {
        var configuration = settings.Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => (string?)kv[1]);

        // The security services alone, started as the platform host starts them: a second each instead of a silo each.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddGatewaySecurity();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
