using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The hub from Node.js with the stock <c>@microsoft/signalr</c> npm package (tests/node-client/client.mjs):
/// durable and live subscriptions, publish, acks and typed errors as a Node service sees them, over the JSON protocol
/// and over MessagePack (<c>@microsoft/signalr-protocol-msgpack</c>).
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
        using var summary = await RunClientAsync(topic, "json");

        var root = summary.RootElement;
        Assert.Equal([1L, 2, 3], root.GetProperty("published").EnumerateArray().Select(e => e.GetInt64()));
        Assert.StartsWith("live-", root.GetProperty("live").GetString(), StringComparison.Ordinal);
        Assert.Equal([1L, 2, 3], root.GetProperty("liveSequences").EnumerateArray().Select(e => e.GetInt64()).Order());
        var durable = BySequence(root.GetProperty("durable"));
        Assert.Equal(3, durable.Count);
        Assert.All(durable, m => Assert.Equal(topic, m.GetProperty("topic").GetString()));
        Assert.Equal("node-1", durable[0].GetProperty("id").GetString());
        Assert.Equal(1, durable[0].GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("node", durable[1].GetProperty("attributes").GetProperty("from").GetString());
        Assert.Equal("plain text", Encoding.UTF8.GetString(Convert.FromBase64String(durable[2].GetProperty("dataBase64").GetString()!)));
        Assert.Equal("k", durable[2].GetProperty("orderingKey").GetString());
        Assert.Equal(0, root.GetProperty("ackFailures").GetArrayLength());
        Assert.StartsWith("2001 TopicNotFound", root.GetProperty("error").GetString(), StringComparison.Ordinal);

        var stats = await Host.StatsAsync(topic, "workers");
        Assert.Equal((0, 0), (stats.Backlog, stats.InFlight));
    }

    [NodeFact]
    public async Task StockNodeClient_OverMessagePack_GetsBytesAsBinary_JsonAsValues_TimesAsDates_AndTheSameTypedErrors()
    {
        var topic = BrowserHost.UniqueName("node-msgpack");
        var before = DateTimeOffset.UtcNow;
        using var summary = await RunClientAsync(topic, "messagepack");

        var root = summary.RootElement;
        Assert.Equal([1L, 2, 3, 4, 5, 6], root.GetProperty("published").EnumerateArray().Select(e => e.GetInt64()));
        var live = root.GetProperty("live").GetString()!;
        Assert.StartsWith("live-", live, StringComparison.Ordinal);
        var durable = BySequence(root.GetProperty("durable"));
        var liveMessages = BySequence(root.GetProperty("liveMessages"));
        Assert.Equal([1L, 2, 3, 4, 5, 6], durable.Select(m => m.GetProperty("sequence").GetInt64()));
        Assert.Equal([1L, 2, 3, 4, 5, 6], liveMessages.Select(m => m.GetProperty("sequence").GetInt64()));
        Assert.All(durable, m => AssertDelivered(m, topic, "workers", before));
        Assert.All(liveMessages, m => AssertDelivered(m, topic, live, before));

        // JSON payloads arrive as the values themselves, everything else as bytes: never base64.
        Assert.Equal("node-1", durable[0].GetProperty("id").GetString());
        Assert.Equal(1, durable[0].GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal("node", durable[1].GetProperty("attributes").GetProperty("from").GetString());
        Assert.DoesNotContain("id", Keys(durable[1]));
        Assert.Equal("plain text", Encoding.UTF8.GetString(Bytes(durable[2])));
        Assert.Equal("text/plain", durable[2].GetProperty("contentType").GetString());
        Assert.Equal("k", durable[2].GetProperty("orderingKey").GetString());
        Assert.Equal("node-bytes", durable[3].GetProperty("id").GetString());
        Assert.Equal<byte>([0, 1, 127, 128, 254, 255], Bytes(durable[3]));
        Assert.True(durable[3].GetProperty("expiresAtIsDate").GetBoolean(), durable[3].GetRawText());
        Assert.Equal(
            durable[3].GetProperty("publishedAt").GetDateTimeOffset().AddHours(1),
            durable[3].GetProperty("expiresAt").GetDateTimeOffset(),
            TimeSpan.FromMilliseconds(1));
        Assert.Equal("node-json", durable[4].GetProperty("id").GetString());
        Assert.True(
            JsonNode.DeepEquals(
                JsonNode.Parse("""{ "nested": { "list": [1, "two", true, null], "ratio": 0.5, "negative": -7 }, "text": "zwölf €" }"""),
                JsonNode.Parse(durable[4].GetProperty("data").GetRawText())),
            durable[4].GetProperty("data").GetRawText());

        Assert.Equal("CQ==", durable[5].GetProperty("data").GetProperty("data").GetString());

        // A live subscription reads the payloads exactly as the durable one does.
        Assert.Equal(durable.Select(Payload), liveMessages.Select(Payload));

        Assert.Equal(0, root.GetProperty("ackFailures").GetArrayLength());
        var stats = await Host.StatsAsync(topic, "workers");
        Assert.Equal((0, 0), (stats.Backlog, stats.InFlight));

        var error = root.GetProperty("error").GetString();
        Assert.StartsWith("2001 TopicNotFound", error, StringComparison.Ordinal);
        Assert.Equal(root.GetProperty("errorOverJson").GetString(), error);
        Assert.StartsWith("1003 InvalidMessage: ", root.GetProperty("twoPayloadsError").GetString(), StringComparison.Ordinal);
        Assert.Contains("exactly one of 'data' and 'dataBase64'", root.GetProperty("twoPayloadsError").GetString(), StringComparison.Ordinal);
    }

    /// <summary>What every delivery over MessagePack carries: where it came from, its time as a Date, no absent fields and no base64.</summary>
    private static void AssertDelivered(JsonElement message, string topic, string subscription, DateTimeOffset before)
    {
        Assert.Equal(topic, message.GetProperty("topic").GetString());
        Assert.Equal(subscription, message.GetProperty("subscription").GetString());
        Assert.True(message.GetProperty("publishedAtIsDate").GetBoolean(), message.GetRawText());
        Assert.InRange(message.GetProperty("publishedAt").GetDateTimeOffset(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(1, message.GetProperty("deliveryAttempt").GetInt32());
        var keys = Keys(message);
        Assert.Contains("data", keys);
        Assert.DoesNotContain("dataBase64", keys);
        Assert.DoesNotContain("deliverAt", keys);
        Assert.Equal(message.GetProperty("id").GetString() == "node-bytes", keys.Contains("expiresAt"));
    }

    private static List<JsonElement> BySequence(JsonElement messages) =>
        [.. messages.EnumerateArray().OrderBy(m => m.GetProperty("sequence").GetInt64())];

    private static List<string> Keys(JsonElement message) =>
        [.. message.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!)];

    private static byte[] Bytes(JsonElement message)
    {
        Assert.Equal(JsonValueKind.Null, message.GetProperty("data").ValueKind);
        return Convert.FromBase64String(message.GetProperty("bytes").GetString()!);
    }

    private static string Payload(JsonElement message) =>
        message.GetProperty("data").GetRawText() + " " + message.GetProperty("bytes").GetRawText();

    /// <summary>Creates <paramref name="topic"/> with a subscription "workers" and runs client.mjs against it with <paramref name="protocol"/>.</summary>
    private async Task<JsonDocument> RunClientAsync(string topic, string protocol)
    {
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "workers");
        return await RunScriptAsync("client.mjs", Host.Address.ToString().TrimEnd('/'), topic, "workers", protocol);
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
