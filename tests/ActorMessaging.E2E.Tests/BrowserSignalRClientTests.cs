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
        async () => {
          window.received = [];
          window.connection = new signalR.HubConnectionBuilder().withUrl("/hubs/messaging").build();
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

    /// <summary>Opens the host's stock-client page and connects to the hub, over a WebSocket as browsers do.</summary>
    private static async Task OpenStockClientAsync(IPage page)
    {
        await page.GotoAsync(BrowserHost.StockClientPagePath);
        string? state = null;
        var socket = await page.RunAndWaitForWebSocketAsync(async () => state = await page.EvaluateAsync<string>(ConnectScript));
        Assert.Equal("Connected", state);
        Assert.Contains("/hubs/messaging", socket.Url, StringComparison.Ordinal);
        Assert.False(socket.IsClosed);
    }
}
