namespace ActorMessaging.Client.Tests;

/// <summary>One co-hosted platform (silo + gateway, memory storage) shared by the tests of a collection; each test uses its own topics.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private GatewayHost? _host;
    private int _names;

    public GatewayHost Host => _host ?? throw new InvalidOperationException("The host has not started.");

    /// <summary>A topic name no other test uses.</summary>
    public string NewName(string prefix) => $"{prefix}-{Interlocked.Increment(ref _names)}-{Guid.NewGuid().ToString("N")[..6]}";

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "Platform";
}
