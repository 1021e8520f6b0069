using ActorMessaging.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActorMessaging.Gateway.Tests;

/// <summary>A co-hosted platform whose broker time is a <see cref="FakeTimeProvider"/>, for schedules and expiry over HTTP.</summary>
public sealed class FakeClockGatewayFixture : IAsyncLifetime
{
    private GatewayHost? _host;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public HttpClient Http => (_host ?? throw new InvalidOperationException("The host has not started.")).Http;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(services: s => s.AddSingleton(new BrokerClock(Time)));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
