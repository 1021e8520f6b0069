using ActorMessaging.Hosting;
using ActorMessaging.Storage;
using ActorMessaging.Storage.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;

namespace ActorMessaging.Grains.Tests;

/// <summary>
/// One in-process silo with memory storage for the whole test collection. Broker time is a
/// <see cref="FakeTimeProvider"/>: tests move it to expire leases and age out duplicates.
/// Tests isolate themselves by using fresh topic names.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public CountingGrainStorage LogStorage { get; private set; } = null!;

    /// <summary>The grain state store; its writes can be held back or failed per grain.</summary>
    public GatedGrainStorage StateStorage { get; private set; } = null!;

    /// <summary>Calls each grain has started to run, by method.</summary>
    public GrainCallArrivals Arrivals { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("am-state-inner");
            silo.Services.AddKeyedSingleton("am-state-inner", (services, key) => new ListedGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(key)));
            silo.Services.AddKeyedSingleton<IGrainStateListing>(StorageNames.State, (services, _) => services.GetRequiredKeyedService<ListedGrainStorage>("am-state-inner"));
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (services, _) =>
                StateStorage = new GatedGrainStorage(services.GetRequiredKeyedService<ListedGrainStorage>("am-state-inner")));
            silo.AddMemoryGrainStorage("am-log-inner");
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Log, (services, _) =>
                LogStorage = new CountingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>("am-log-inner")));
            silo.Services.AddSingleton(new BrokerClock(Time));
            silo.AddActorMessagingGrains();
            silo.AddIncomingGrainCallFilter(Arrivals);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
