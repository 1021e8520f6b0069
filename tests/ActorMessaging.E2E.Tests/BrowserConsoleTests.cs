using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ActorMessaging.E2E.Tests;

/// <summary>The web console at <c>/</c> in headless Chromium, against the real co-hosted platform.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserConsoleTests(BrowserFixture fixture)
{
    /// <summary>Where the one screenshot of the console goes (outside the repository).</summary>
    public static readonly string ScreenshotPath = Path.Combine(Path.GetTempPath(), "actormessaging-console.png");

    private BrowserHost Host => fixture.Host;

    [ChromiumFact]
    public async Task Console_ListsTopics_WithEachSubscriptionsBacklogAndDeadLetterCount()
    {
        var topic = BrowserHost.UniqueName("console-list");
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "audit", new SubscriptionConfiguration { MaxDeliveryAttempts = 1 });
        await Host.CreateSubscriptionAsync(topic, "billing");
        await Host.DeadLetterAsync(topic, "audit", JsonMessage(new { n = 0 }));
        await Host.PublishAsync(topic, JsonMessage(new { n = 1 }), JsonMessage(new { n = 2 }));
        await using var session = await fixture.OpenAsync();
        var page = session.Page;

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Topics", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Filter by name prefix").FillAsync(topic);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filter" }).ClickAsync();

        var card = page.Locator($"section[data-topic='{topic}']");
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = topic, Exact = true })).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("Last sequence 3 · 2 subscriptions");
        var audit = card.Locator("tr[data-subscription='audit']");
        await Expect(audit.Locator("[data-stat=backlog]")).ToHaveTextAsync("2");
        await Expect(audit.Locator("[data-stat=deadLettered]")).ToHaveTextAsync("1");
        var billing = card.Locator("tr[data-subscription='billing']");
        await Expect(billing.Locator("[data-stat=backlog]")).ToHaveTextAsync("3");
        await Expect(billing.Locator("[data-stat=deadLettered]")).ToHaveTextAsync("0");

        // The dead-letter count links to the subscription's page.
        await audit.GetByRole(AriaRole.Link, new() { Name = "1 dead letter in audit" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Subscription audit");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task Console_PublishesFromTheForm_AndShowsTheSequence_OrTheInputError()
    {
        var topic = BrowserHost.UniqueName("console-publish");
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "reader");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync($"#/topics/{topic}");

        var payload = page.GetByLabel("Payload", new() { Exact = true });
        await payload.FillAsync("""{"order": 42}""");
        await page.GetByText("Message id, ordering key and attributes").ClickAsync();
        await page.GetByLabel("Message id").FillAsync("console-1");
        await page.GetByLabel("Attributes").FillAsync("source=console");
        var publish = page.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true });
        await publish.ClickAsync();
        await Expect(page.GetByText("Published as sequence 1.")).ToBeVisibleAsync();
        // The page refreshes the counters after publishing.
        await Expect(page.Locator("tr[data-subscription='reader'] [data-stat=backlog]")).ToHaveTextAsync("1");

        var pulled = Assert.Single(await Host.PullAsync(topic, "reader"));
        Assert.Equal("console-1", pulled.Id);
        Assert.Equal(42, pulled.Data!.Value.GetProperty("order").GetInt32());
        Assert.Equal("console", pulled.Attributes!["source"]);

        // The same id again: the topic says duplicate, and the console says so.
        await publish.ClickAsync();
        await Expect(page.GetByText("Duplicate of sequence 1")).ToBeVisibleAsync();

        // Text that is not JSON never leaves the page while JSON is chosen.
        await payload.FillAsync("{oops");
        await publish.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not valid JSON");
        await Expect(payload).ToHaveAttributeAsync("aria-invalid", "true");

        // As text it is published, UTF-8 with a text content type.
        await page.GetByLabel("Text", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Message id").FillAsync(string.Empty);
        await publish.ClickAsync();
        await Expect(page.GetByText("Published as sequence 2.")).ToBeVisibleAsync();
        var text = (await Host.PullAsync(topic, "reader")).Single(m => m.Sequence == 2);
        Assert.Equal("{oops", Encoding.UTF8.GetString(Convert.FromBase64String(text.DataBase64!)));
        Assert.StartsWith("text/plain", text.ContentType, StringComparison.Ordinal);
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task Console_LiveTail_ShowsMessagesPublishedOverHttp_AndHoldsNothingAtTheTopic()
    {
        var topic = BrowserHost.UniqueName("console-tail");
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "audit");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync($"#/topics/{topic}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start live tail" }).ClickAsync();
        var state = page.Locator(".tail-state");
        await Expect(state).ToContainTextAsync("Tailing");

        await Host.PublishAsync(topic, new PublishMessage
        {
            Id = "reading-1",
            Data = JsonSerializer.SerializeToElement(new { temperature = 21.5, room = "kitchen" }),
            Attributes = new Dictionary<string, string> { ["sensor"] = "s-17" },
        });
        await Host.PublishAsync(topic, new PublishMessage
        {
            DataBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("hello from HTTP")),
            ContentType = "text/plain",
        });

        var log = page.GetByRole(AriaRole.Log);
        await Expect(log.Locator("li")).ToHaveCountAsync(2);
        await Expect(log.Locator("li").First).ToContainTextAsync("hello from HTTP");
        await Expect(log).ToContainTextAsync("\"temperature\": 21.5");
        await Expect(log).ToContainTextAsync("sensor=s-17");
        await Expect(log).ToContainTextAsync("id reading-1");

        // The tail is a live subscription: the gateway serves it, so the topic's table shows only the durable one.
        Assert.Equal(["audit"], (await Host.ListSubscriptionsAsync(topic)).Select(s => s.Name));
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
        await Expect(page.Locator("tr[data-subscription]")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-subscription='audit'] [data-stat=backlog]")).ToHaveTextAsync("2");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Stop live tail" }).ClickAsync();
        await Expect(state).ToHaveTextAsync("Stopped.");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task Console_PeeksADeadLetter_AndResubmittingItClearsTheCount()
    {
        var topic = BrowserHost.UniqueName("console-dead");
        await Host.CreateTopicAsync(topic);
        await Host.CreateSubscriptionAsync(topic, "payments", new SubscriptionConfiguration { MaxDeliveryAttempts = 1 });
        var sequence = await Host.DeadLetterAsync(topic, "payments", new PublishMessage
        {
            Id = "pay-7",
            Data = JsonSerializer.SerializeToElement(new { amount = 125 }),
            Attributes = new Dictionary<string, string> { ["currency"] = "EUR" },
        });
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync($"#/topics/{topic}/subscriptions/payments");

        await Expect(page.Locator(".summary [data-stat=deadLettered]")).ToHaveTextAsync("1");
        var row = page.Locator($"tr[data-sequence='{sequence}']");
        await Expect(row).ToContainTextAsync("pay-7");
        await Expect(row).ToContainTextAsync("Max delivery attempts");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Peek message {sequence}" }).ClickAsync();
        var peek = page.GetByRole(AriaRole.Region, new() { Name = $"Dead letter {sequence}" });
        await Expect(peek).ToBeVisibleAsync();
        await Expect(peek).ToContainTextAsync("\"amount\": 125");
        await Expect(peek).ToContainTextAsync("currency=EUR");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Resubmit message {sequence}" }).ClickAsync();
        await Expect(page.GetByText($"Resubmitted message {sequence}")).ToBeVisibleAsync();
        await Expect(page.Locator(".summary [data-stat=deadLettered]")).ToHaveTextAsync("0");
        await Expect(page.GetByText("No dead letters.")).ToBeVisibleAsync();

        // Back in delivery with fresh attempts.
        Assert.Equal(0, (await Host.StatsAsync(topic, "payments")).DeadLettered);
        var redelivered = Assert.Single(await Host.PullAsync(topic, "payments"));
        Assert.Equal(sequence, redelivered.Sequence);
        Assert.Equal(1, redelivered.DeliveryAttempt);
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task Console_ShowsTheProblemDetails_WhenTheApiRefuses()
    {
        var missing = BrowserHost.UniqueName("console-missing");
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync($"#/topics/{missing}");

        var alert = page.GetByRole(AriaRole.Alert).First;
        await Expect(alert).ToContainTextAsync("TopicNotFound");
        await Expect(alert).ToContainTextAsync($"'{missing}'");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task Console_SendsThePastedApiKey_AsXApiKey_AndOnTheHubUrl_ForThisTabOnly()
    {
        var topic = BrowserHost.UniqueName("console-key");
        await Host.CreateTopicAsync(topic);
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Topics", Level = 1 })).ToBeVisibleAsync();

        await page.GetByLabel("API key").FillAsync("console-test-key");
        var listing = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync(),
            request => request.Url.Contains("/v1/topics", StringComparison.Ordinal));
        Assert.Equal("console-test-key", await listing.HeaderValueAsync("x-api-key"));
        Assert.Equal("console-test-key", await page.EvaluateAsync<string>("() => sessionStorage.getItem('actormessaging.apiKey')"));

        // Browsers cannot set WebSocket headers: the hub connection carries the key in its URL.
        await page.GotoAsync($"#/topics/{topic}");
        var socket = await page.RunAndWaitForWebSocketAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Start live tail" }).ClickAsync());
        Assert.Contains("api_key=console-test-key", socket.Url, StringComparison.Ordinal);
        await Expect(page.Locator(".tail-state")).ToContainTextAsync("Tailing");

        var forgotten = await page.RunAndWaitForRequestAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Forget" }).ClickAsync(),
            request => request.Url.Contains("/v1/topics", StringComparison.Ordinal));
        Assert.Null(await forgotten.HeaderValueAsync("x-api-key"));
        await Expect(page.Locator("#api-key-state")).ToContainTextAsync("No key");
        session.AssertNoErrors();
    }

    [ChromiumFact]
    public async Task Console_WhenApiKeysAreRequired_ShowsUnauthenticated_ThenWorksWithThePastedKey()
    {
        const string key = "console-admin-key-for-browser-tests";
        await using var host = await BrowserHost.StartAsync(new Dictionary<string, string?>
        {
            ["ActorMessaging:Auth:Mode"] = "Keys",
            ["ActorMessaging:Auth:ApiKeys:0:Key"] = key,
            ["ActorMessaging:Auth:ApiKeys:0:Name"] = "console-admin",
            ["ActorMessaging:Auth:ApiKeys:0:Permissions:0"] = "admin",
        });
        host.Http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var topic = BrowserHost.UniqueName("console-auth");
        await host.CreateTopicAsync(topic);
        await using var session = await fixture.OpenAsync(host);
        var page = session.Page;

        // The page itself is open; the API it calls is not.
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Unauthenticated");

        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Expect(page.Locator($"section[data-topic='{topic}']")).ToBeVisibleAsync();

        // The hub accepts the key from the URL, where the browser's WebSocket can carry it.
        await page.GotoAsync($"#/topics/{topic}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start live tail" }).ClickAsync();
        await Expect(page.Locator(".tail-state")).ToContainTextAsync("Tailing");
        await host.PublishAsync(topic, JsonMessage(new { secured = true }));
        await Expect(page.GetByRole(AriaRole.Log)).ToContainTextAsync("\"secured\": true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop live tail" }).ClickAsync();
        await Expect(page.Locator(".tail-state")).ToHaveTextAsync("Stopped.");
        session.AssertNoErrors();
    }

    private static PublishMessage JsonMessage<T>(T data) => new() { Data = JsonSerializer.SerializeToElement(data) };
}
