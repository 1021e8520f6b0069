using System.Diagnostics;
using System.Text.Json;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The hub from Node.js with the stock <c>@microsoft/signalr</c> npm package (tests/node-client/client.mjs):
/// durable and live subscriptions, publish, acks and typed errors as a Node service sees them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NodeSignalRClientTests(BrowserFixture fixture)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(90);

    private BrowserHost Host => fixture.Host;

    [NodeFact]
    public async Task StockNodeClient_ReceivesOnDurableAndLiveSubscriptions_AcksThem_AndSeesTypedErrors()
    {
        var topic = BrowserHost.UniqueName("node");
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "workers");

        using var summary = await RunScriptAsync("client.mjs", Host.Address.ToString().TrimEnd('/'), topic, "workers");

        var root = summary.RootElement;
        Assert.Equal([1L, 2, 3], root.GetProperty("published").EnumerateArray().Select(e => e.GetInt64()));
        Assert.StartsWith("live-", root.GetProperty("live").GetString(), StringComparison.Ordinal);
        Assert.Equal([1L, 2, 3], root.GetProperty("liveSequences").EnumerateArray().Select(e => e.GetInt64()).Order());
        var durable = root.GetProperty("durable").EnumerateArray().OrderBy(m => m.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(3, durable.Count);
        Assert.All(durable, m => Assert.Equal(topic, m.GetProperty("topic").GetString()));
        Assert.Equal("node-1", durable[0].GetProperty("id").GetString());
        Assert.Equal(1, durable[0].GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("node", durable[1].GetProperty("attributes").GetProperty("from").GetString());
        Assert.Equal("plain text", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(durable[2].GetProperty("dataBase64").GetString()!)));
        Assert.Equal("k", durable[2].GetProperty("orderingKey").GetString());
        Assert.Equal(0, root.GetProperty("ackFailures").GetArrayLength());
        Assert.StartsWith("2001 TopicNotFound", root.GetProperty("error").GetString(), StringComparison.Ordinal);

        var stats = await Host.StatsAsync(topic, "workers");
        Assert.Equal((0, 0), (stats.Backlog, stats.InFlight));
    }

    /// <summary>Runs a script of tests/node-client to its end and parses the JSON line it prints last.</summary>
    private static async Task<JsonDocument> RunScriptAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo(NodeFactAttribute.NodePath ?? throw new InvalidOperationException(NodeFactAttribute.SkipReason))
        {
            WorkingDirectory = NodeFactAttribute.ClientFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {ScriptTimeout.TotalSeconds} s. stderr: {await errors}");
        }

        var stdout = await output;
        Assert.True(node.ExitCode == 0, $"node {script} exited with {node.ExitCode}. stderr: {await errors} stdout: {stdout}");
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return JsonDocument.Parse(last);
    }
}
