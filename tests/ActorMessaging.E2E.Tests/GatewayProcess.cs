using System.Globalization;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// A standalone gateway (<c>ActorMessaging.Gateway.Host</c>: HTTP API and hub, an Orleans client of the silos) running
/// as a real child process from its build output, joined to the cluster of <see cref="SiloSettings"/>.
/// </summary>
internal sealed class GatewayProcess(DotnetProcess process, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    /// <summary>The SignalR hub of this gateway.</summary>
    public Uri HubUri => new(Address, "/hubs/messaging");

    /// <summary>Starts the gateway as a client of the cluster the silos of <paramref name="cluster"/> form; returns once <c>/health</c> answers 200.</summary>
    public static async Task<GatewayProcess> StartAsync(SiloSettings cluster, string name)
    {
        var httpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["ActorMessaging__Storage__Provider"] = cluster.Provider.ToString(),
            ["ActorMessaging__Storage__ConnectionString"] = cluster.ConnectionString,
            ["ActorMessaging__Cluster__ClusterId"] = cluster.ClusterId,
            ["ActorMessaging__Cluster__ServiceId"] = cluster.ServiceId,
            ["ActorMessaging__Cluster__GatewayPort"] = cluster.GatewayPort.ToString(CultureInfo.InvariantCulture),
        };
        var started = await DotnetProcess.StartAsync("gateway/ActorMessaging.Gateway.Host", $"gateway {name}", httpPort, environment);
        return new GatewayProcess(started, new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/"));
    }

    /// <inheritdoc cref="DotnetProcess.OutputTail"/>
    public string OutputTail(int lines = 60) => process.OutputTail(lines);

    /// <summary>Crashes the gateway: SIGKILL, so nothing of its shutdown (detaching consumers, deleting live subscriptions) runs.</summary>
    public void Kill() => process.Kill();

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
