using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Gateway.Tests;

/// <summary>A co-hosted platform whose grain calls can be made to fail on demand (<see cref="GrainFaults"/>); tests keep apart by topic.</summary>
public sealed class FaultsFixture : IAsyncLifetime
{
    private GatewayHost? _host;

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    internal GrainFaults Faults { get; } = new();

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(services: services =>
        services.AddSingleton<IIncomingGrainCallFilter>(Faults));

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>The test classes that inject grain faults share one <see cref="FaultsFixture"/> host.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<FaultsFixture>
{
    public const string Name = "Faults";
}
