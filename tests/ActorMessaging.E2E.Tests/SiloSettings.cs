using System.Net;
using System.Net.Sockets;
using ActorMessaging.Configuration;
using ActorMessaging.Hosting;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// How a silo process is started: its store and its loopback ports. A restart reuses the same settings,
/// so the new process finds the same data under the same service id and listens where clients look.
/// </summary>
internal sealed record SiloSettings(
    StorageProvider Provider,
    string ConnectionString,
    string ClusterId,
    string ServiceId,
    int SiloPort,
    int ClientPort,
    int HttpPort)
{
    /// <summary>Settings with unique cluster and service ids and three free loopback ports.</summary>
    public static SiloSettings Create(StorageProvider provider, string connectionString)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var ports = FreeLoopbackPorts(3);
        return new SiloSettings(provider, connectionString, $"e2e-{suffix}", $"e2e-{suffix}", ports[0], ports[1], ports[2]);
    }

    /// <summary>More settings as environment variables (e.g. <c>ActorMessaging__Cluster__ProbeTimeout</c>); they win over the above.</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();

    public Uri HealthUri => new($"http://127.0.0.1:{HttpPort}/health");

    /// <summary>The environment that makes a standalone gateway process a client of this cluster.</summary>
    public IReadOnlyDictionary<string, string> ClusterClientEnvironment => new Dictionary<string, string>
    {
        ["ActorMessaging__Storage__Provider"] = Provider.ToString(),
        ["ActorMessaging__Storage__ConnectionString"] = ConnectionString,
        ["ActorMessaging__Cluster__ClusterId"] = ClusterId,
        ["ActorMessaging__Cluster__ServiceId"] = ServiceId,
        ["ActorMessaging__Cluster__ClientPort"] = ClientPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // All listeners are open at once so the three ports differ; they are closed before the silo binds them.
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
