using ActorMessaging.Configuration;
using ActorMessaging.Hosting;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Silo processes (each with its co-hosted gateway) sharing PostgreSQL membership, standalone gateway processes, and an
/// Orleans client of the same cluster for set-up and inspection. Silos are addressed by index and can be killed,
/// frozen, woken and restarted (<see cref="ClusterSilo"/>); gateways are separate processes, so no grain ever runs in one.
/// The base of the cross-gateway, failover and chaos tests.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private readonly List<ClusterSilo> _silos = [];
    private readonly List<GatewayProcess> _gateways = [];
    private SiloClient? _client;

    private ChaosCluster(SiloSettings first) => First = first;

    public IReadOnlyList<ClusterSilo> Silos => _silos;

    public IReadOnlyList<GatewayProcess> Gateways => _gateways;

    /// <summary>An Orleans client of the cluster, configured as the standalone gateways are.</summary>
    public SiloClient Client => _client ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>The first silo's settings: cluster and service ids, the store.</summary>
    public SiloSettings First { get; }

    /// <summary>
    /// Starts <paramref name="silos"/> silo processes and <paramref name="gateways"/> standalone gateway processes on a new
    /// database of <paramref name="postgres"/>, and returns once every silo is an active member.
    /// </summary>
    /// <param name="postgres">The server; each cluster gets its own database.</param>
    /// <param name="silos">Silo processes, at least 1.</param>
    /// <param name="gateways">Standalone gateway processes.</param>
    /// <param name="siloEnvironment">More settings for every silo, as environment variables (they also apply on restart).</param>
    /// <param name="gatewayEnvironment">More settings for every standalone gateway.</param>
    public static async Task<ChaosCluster> StartAsync(
        PostgresFixture postgres,
        int silos,
        int gateways,
        IReadOnlyDictionary<string, string>? siloEnvironment = null,
        IReadOnlyDictionary<string, string>? gatewayEnvironment = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(silos, 1);
        var connectionString = await postgres.CreateDatabaseAsync();
        var extra = siloEnvironment ?? new Dictionary<string, string>();
        var first = SiloSettings.Create(StorageProvider.Postgres, connectionString) with { ExtraEnvironment = extra };
        var settings = Enumerable.Range(0, silos)
            .Select(i => i == 0 ? first : SiloSettings.Create(StorageProvider.Postgres, connectionString) with { ClusterId = first.ClusterId, ServiceId = first.ServiceId, ExtraEnvironment = extra })
            .ToList();
        var gatewaySettings = new Dictionary<string, string>(first.ClusterClientEnvironment);
        foreach (var (key, value) in gatewayEnvironment ?? new Dictionary<string, string>())
        {
            gatewaySettings[key] = value;
        }

        var cluster = new ChaosCluster(first);
        try
        {
            // The first silo applies the schema; the other silos and the gateways start together once it is there.
            cluster._silos.Add(new ClusterSilo("silo 0", first, await SiloProcess.StartAsync(first, "silo 0")));
            var siloStarts = settings.Skip(1).Select((s, i) => (Settings: s, Name: $"silo {i + 1}", Start: SiloProcess.StartAsync(s, $"silo {i + 1}"))).ToList();
            var gatewayStarts = Enumerable.Range(0, gateways).Select(i => GatewayProcess.StartAsync(gatewaySettings, GatewayName(i))).ToList();
            try
            {
                await Task.WhenAll(siloStarts.Select(s => (Task)s.Start).Concat(gatewayStarts));
            }
            finally
            {
                // Whatever did start is stopped with the cluster, also when another part failed.
                cluster._silos.AddRange(siloStarts.Where(s => s.Start.IsCompletedSuccessfully).Select(s => new ClusterSilo(s.Name, s.Settings, s.Start.Result)));
                cluster._gateways.AddRange(gatewayStarts.Where(g => g.IsCompletedSuccessfully).Select(g => g.Result));
            }

            cluster._client = await SiloClient.ConnectAsync(first, gatewayEnvironment);
            await cluster.WaitForActiveSilosAsync(silos);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Names standalone gateway <paramref name="index"/>: A, B, C...</summary>
    public static string GatewayName(int index) => $"gateway {(char)('A' + index)}";

    /// <summary>The silo-to-silo port of the silo where <paramref name="grain"/> is active.</summary>
    public async Task<int?> HostingSiloPortAsync(IAddressable grain)
    {
        var address = await Client.Cluster.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return address?.Endpoint.Port;
    }

    /// <summary>The silo where <paramref name="grain"/> is active, or null when it is active nowhere.</summary>
    public async Task<ClusterSilo?> HostingSiloAsync(IAddressable grain)
    {
        var port = await HostingSiloPortAsync(grain);
        return _silos.FirstOrDefault(s => s.Settings.SiloPort == port);
    }

    /// <summary>Waits until exactly <paramref name="count"/> silos are active members (e.g. after a restart).</summary>
    public async Task WaitForActiveSilosAsync(int count, TimeSpan? timeout = null)
    {
        var management = Client.Cluster.GetGrain<IManagementGrain>(0);
        await Eventually.TrueAsync(async () => (await management.GetHosts(onlyActive: true)).Count == count, $"{count} silos to be active members", timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>Process output for a failure message.</summary>
    public string Diagnostics(int lines = 40) =>
        string.Join(Environment.NewLine, _silos.SelectMany(s => s.Processes).Select(p => p.OutputTail(lines)).Concat(_gateways.Select(g => g.OutputTail(lines))));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        foreach (var process in _silos.SelectMany(s => s.Processes))
        {
            await process.DisposeAsync();
        }
    }
}
