using ActorMessaging.Hosting;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Two silo processes sharing PostgreSQL membership, two standalone gateway processes, and an Orleans client
/// of the same cluster for set-up and inspection. Gateways are separate processes: no grain ever runs in one.
/// </summary>
internal sealed class CrossGatewayCluster : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private CrossGatewayCluster()
    {
    }

    public IReadOnlyList<SiloProcess> Silos { get; private set; } = [];

    public GatewayProcess GatewayA { get; private set; } = null!;

    public GatewayProcess GatewayB { get; private set; } = null!;

    public SiloClient Client { get; private set; } = null!;

    public static async Task<CrossGatewayCluster> StartAsync(PostgresFixture postgres)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var first = SiloSettings.Create(StorageProvider.Postgres, connectionString);
        var second = SiloSettings.Create(StorageProvider.Postgres, connectionString) with { ClusterId = first.ClusterId, ServiceId = first.ServiceId };
        var cluster = new CrossGatewayCluster();
        try
        {
            // The first silo applies the schema; the second and the gateways start together once it is there.
            var silo1 = cluster.Own(await SiloProcess.StartAsync(first, "silo 1"));
            var silo2 = SiloProcess.StartAsync(second, "silo 2");
            var gatewayA = GatewayProcess.StartAsync(first.ClusterClientEnvironment, "gateway A");
            var gatewayB = GatewayProcess.StartAsync(first.ClusterClientEnvironment, "gateway B");
            try
            {
                await Task.WhenAll(silo2, gatewayA, gatewayB);
            }
            finally
            {
                // Whatever did start is stopped with the cluster, also when another part failed.
                cluster.OwnIfStarted(silo2);
                cluster.OwnIfStarted(gatewayA);
                cluster.OwnIfStarted(gatewayB);
            }

            cluster.GatewayA = gatewayA.Result;
            cluster.GatewayB = gatewayB.Result;
            cluster.Silos = [silo1, silo2.Result];
            cluster.Client = cluster.Own(await SiloClient.ConnectAsync(first));
            var management = cluster.Client.Cluster.GetGrain<IManagementGrain>(0);
            await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == 2, "both silos to be active members");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo-to-silo port of the silo where <paramref name="grain"/> is active.</summary>
    public async Task<int?> HostingSiloPortAsync(IAddressable grain)
    {
        var address = await Client.Cluster.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return address?.Endpoint.Port;
    }

    /// <summary>Process output for a failure message.</summary>
    public string Diagnostics() =>
        string.Join(Environment.NewLine, Silos.Select(s => s.OutputTail(40)).Append(GatewayA?.OutputTail(40) ?? "").Append(GatewayB?.OutputTail(40) ?? ""));

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    private void OwnIfStarted<T>(Task<T> start)
        where T : IAsyncDisposable
    {
        if (start.IsCompletedSuccessfully)
        {
            Own(start.Result);
        }
    }

    private T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }
}
