using System.Globalization;

namespace ActorMessaging.Testing;

/// <summary>
/// A standalone gateway (<c>ActorMessaging.Gateway.Host</c>: HTTP API and hub, an Orleans client of the silos) running
/// as a real child process from its build output. The test project references the host project (without its assembly)
/// so that it is built first.
/// </summary>
public sealed class GatewayProcess(DotnetProcess process, Uri address, int httpPort) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    /// <summary>The loopback port of its HTTP API and hub; a restart on the same port is the same address to clients.</summary>
    public int HttpPort { get; } = httpPort;

    /// <summary>The SignalR hub of this gateway.</summary>
    public Uri HubUri => new(Address, "/hubs/messaging");

    public bool HasExited => process.HasExited;

    /// <summary>
    /// Starts the gateway as a client of a cluster and returns once <c>/health</c> answers 200.
    /// </summary>
    /// <param name="cluster">How it finds the cluster, as environment variables (<c>ActorMessaging__Storage__Provider</c>, <c>ActorMessaging__Cluster__ClientPort</c>...).</param>
    /// <param name="name">Names the process in diagnostics.</param>
    /// <param name="httpPort">The loopback port to serve on; a free one when null.</param>
    public static async Task<GatewayProcess> StartAsync(IReadOnlyDictionary<string, string> cluster, string name, int? httpPort = null)
    {
        var port = httpPort ?? FreePort.Next();
        var started = await DotnetProcess.StartAsync("gateway/ActorMessaging.Gateway.Host", $"gateway {name}", port, cluster);
        return new GatewayProcess(started, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), port);
    }

    /// <summary>The environment that makes a gateway process a client of <paramref name="host"/>'s in-process silo.</summary>
    public static IReadOnlyDictionary<string, string> ClientOf(GatewayHost host) => new Dictionary<string, string>
    {
        ["ActorMessaging__Storage__Provider"] = "Memory",
        ["ActorMessaging__Cluster__ClientPort"] = host.ClientPort.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc cref="DotnetProcess.OutputTail"/>
    public string OutputTail(int lines = 60) => process.OutputTail(lines);

    /// <summary>Crashes the gateway: SIGKILL, so nothing of its shutdown (detaching consumers, deleting live subscriptions) runs.</summary>
    public void Kill() => process.Kill();

    /// <summary>Stops the gateway cleanly (SIGTERM: it detaches its consumers and closes its connections) and returns the exit code.</summary>
    public Task<int> StopAsync() => process.StopAsync();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
