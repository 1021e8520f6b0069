using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Testing;
using Microsoft.Playwright;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The hub from a real browser with the stock <c>@microsoft/signalr</c> client, the copy the console serves:
/// deliveries, acks, live subscriptions and typed errors as a web application sees them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserSignalRClientTests(BrowserFixture fixture)
{
    private const string ConnectScript = """
        async ({ messagePack }) => {
          window.received = [];
          const builder = new signalR.HubConnectionBuilder().withUrl("/hubs/messaging");
          window.connection = (messagePack ? builder.withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol()) : builder).build();
          connection.on("Deliver", (messages) => received.push(...messages));
          await connection.start();
          return connection.state;
        }
        """;

    private BrowserHost Host => fixture.Host;

    [ChromiumFact]
    public async Task StockClient_DurableSubscription_ReceivesDeliver_AndAckEmptiesTheBacklog()
    {
        var topic = BrowserHost.UniqueName("browser-durable");
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "workers");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await OpenStockClientAsync(page);

        var subscribed = await page.EvaluateAsync<string>(
            "({ topic }) => connection.invoke('Subscribe', topic, 'workers', { maxInFlight: 10 })", new { topic });
        Assert.Equal("workers", subscribed);

        // Published from the browser as well, through the hub.
        var published = await page.EvaluateAsync<JsonElement>(
            "({ topic }) => connection.invoke('Publish', topic, [{ id: 'order-1', data: { order: 1 }, attributes: { source: 'browser' } }])",
            new { topic });
        var sequence = published[0].GetProperty("sequence").GetInt64();
        Assert.False(published[0].GetProperty("duplicate").GetBoolean());

        await page.WaitForFunctionAsync("() => window.received.length >= 1");
        var delivered = await page.EvaluateAsync<JsonElement>("() => window.received[0]");
        Assert.Equal(topic, delivered.GetProperty("topic").GetString());
        Assert.Equal("workers", delivered.GetProperty("subscription").GetString());
        Assert.Equal(sequence, delivered.GetProperty("sequence").GetInt64());
        Assert.Equal("order-1", delivered.GetProperty("id").GetString());
        Assert.Equal(1, delivered.GetProperty("data").GetProperty("order").GetInt32());
        Assert.Equal("browser", delivered.GetProperty("attributes").GetProperty("source").GetString());
        Assert.Equal(1, delivered.GetProperty("deliveryAttempt").GetInt32());

        // Leased to the browser, not yet acked: still in the backlog.
        Assert.Equal(1, (await Host.StatsAsync(topic, "workers")).Backlog);

        var failures = await page.EvaluateAsync<JsonElement>(
            "({ topic, ackId }) => connection.invoke('Ack', topic, 'workers', [ackId])",
            new { topic, ackId = delivered.GetProperty("ackId").GetString() });
        Assert.Equal(0, failures.GetArrayLength());
        await Eventually.TrueAsync(
            async () => await Host.StatsAsync(topic, "workers") is { Backlog: 0, InFlight: 0 },
            "the acked message to leave the backlog");

        await page.EvaluateAsync("() => connection.stop()");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task StockClient_LiveSubscription_Receives_AcksAreNoOps_AndUnsubscribeStopsIt()
    {
        var topic = BrowserHost.UniqueName("browser-live");
        await Host.CreateTopicAsync(topic);
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await OpenStockClientAsync(page);

        var live = await page.EvaluateAsync<string>("({ topic }) => connection.invoke('Subscribe', topic, null, null)", new { topic });
        Assert.StartsWith("live-", live, StringComparison.Ordinal);

        await Host.PublishAsync(topic, new PublishMessage { Data = JsonSerializer.SerializeToElement(new { price = 42 }) });
        await page.WaitForFunctionAsync("() => window.received.length >= 1");
        var delivered = await page.EvaluateAsync<JsonElement>("() => window.received[0]");
        Assert.Equal(live, delivered.GetProperty("subscription").GetString());
        Assert.Equal(42, delivered.GetProperty("data").GetProperty("price").GetInt32());

        // Acked on delivery: a client that acks anyway is told nothing failed.
        var failures = await page.EvaluateAsync<JsonElement>(
            "({ topic, live }) => connection.invoke('Ack', topic, live, [received[0].ackId])", new { topic, live });
        Assert.Equal(0, failures.GetArrayLength());

        // After Unsubscribe nothing more arrives on it; a new live subscription marks where the stream is.
        await page.EvaluateAsync("({ topic, live }) => connection.invoke('Unsubscribe', topic, live)", new { topic, live });
        await Host.PublishAsync(topic, new PublishMessage { Data = JsonSerializer.SerializeToElement(new { price = 43 }) });
        var next = await page.EvaluateAsync<string>("({ topic }) => connection.invoke('Subscribe', topic, null, null)", new { topic });
        await Host.PublishAsync(topic, new PublishMessage { Data = JsonSerializer.SerializeToElement(new { price = 44 }) });
        await page.WaitForFunctionAsync("() => window.received.length >= 2");
        var subscriptions = await page.EvaluateAsync<string[]>("() => window.received.map(m => m.subscription)");
        Assert.Equal([live, next], subscriptions);
        await page.EvaluateAsync("() => connection.stop()");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task StockClient_FailedCall_RejectsWithTheCatalogCode_AndTheConnectionStays()
    {
        var missing = BrowserHost.UniqueName("browser-missing");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await OpenStockClientAsync(page);

        var message = await page.EvaluateAsync<string>(
            """
            async ({ topic }) => {
              try {
                await connection.invoke("Subscribe", topic, null, null);
                return "no error";
              } catch (error) {
                return error.message;
              }
            }
            """,
            new { topic = missing });

        Assert.Matches(@"^\d{4} TopicNotFound: ", message);
        Assert.Contains(missing, message, StringComparison.Ordinal);
        Assert.Equal("Connected", await page.EvaluateAsync<string>("() => connection.state"));
        await page.EvaluateAsync("() => connection.stop()");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task StockClient_OverMessagePack_ReceivesLive_JsonAsValues_BytesAsUint8Array_TimesAsDates()
    {
        var topic = BrowserHost.UniqueName("browser-msgpack");
        await Host.CreateTopicAsync(topic);
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await OpenStockClientAsync(page, messagePack: true);

        var live = await page.EvaluateAsync<string>("({ topic }) => connection.invoke('Subscribe', topic, null, null)", new { topic });
        await Host.PublishAsync(
            topic,
            new PublishMessage { Data = JsonElement.Parse("""{ "price": 42, "tags": ["a", "b"] }""") },
            new PublishMessage { DataBase64 = Convert.ToBase64String([0, 1, 254, 255]), ContentType = "application/octet-stream" });
        await page.WaitForFunctionAsync("() => window.received.length >= 2");

        // Bytes and dates exist only in MessagePack: the page reports what types it got.
        var delivered = await page.EvaluateAsync<JsonElement>(
            """
            () => received.map((m) => ({
              sequence: m.sequence,
              subscription: m.subscription,
              json: m.data instanceof Uint8Array ? null : m.data,
              bytes: m.data instanceof Uint8Array ? Array.from(m.data) : null,
              hasDataBase64: "dataBase64" in m,
              publishedAtIsDate: m.publishedAt instanceof Date,
            }))
            """);
        var messages = delivered.EnumerateArray().OrderBy(m => m.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(live, m.GetProperty("subscription").GetString()));
        Assert.All(messages, m => Assert.True(m.GetProperty("publishedAtIsDate").GetBoolean()));
        Assert.All(messages, m => Assert.False(m.GetProperty("hasDataBase64").GetBoolean()));
        Assert.Equal(42, messages[0].GetProperty("json").GetProperty("price").GetInt32());
        Assert.Equal(["a", "b"], messages[0].GetProperty("json").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([0, 1, 254, 255], messages[1].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));

        await page.EvaluateAsync("() => connection.stop()");
        session.AssertNoErrors();
    }

    /// <summary>Opens the host's stock-client page and connects to the hub, over a WebSocket as browsers do.</summary>
    private static async Task OpenStockClientAsync(IPage page, bool messagePack = false)
    {
        await page.GotoAsync(BrowserHost.StockClientPagePath);
        string? state = null;
        var socket = await page.RunAndWaitForWebSocketAsync(async () => state = await page.EvaluateAsync<string>(ConnectScript, new { messagePack }));
        Assert.Equal("Connected", state);
        Assert.Contains("/hubs/messaging", socket.Url, StringComparison.Ordinal);
        Assert.False(socket.IsClosed);
    }
}
