using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ActorMessaging.E2E.Tests;

/// <summary>The console's live tail with a filter: a live hub subscription with <c>options.filter</c>.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserConsoleTailFilterTests(BrowserFixture fixture)
{
    private BrowserHost Host => fixture.Host;

    private static PublishMessage Colored(string id, string color) => new()
    {
        Id = id,
        Data = JsonSerializer.SerializeToElement(new { id }),
        Attributes = new Dictionary<string, string> { ["color"] = color },
    };

    [ChromiumFact]
    public async Task Console_LiveTail_WithAFilter_ShowsOnlyMatchingMessages_AndAMalformedOneShowsWhereItFailed()
    {
        var topic = BrowserHost.UniqueName("console-tail-filter");
        await Host.CreateTopicAsync(topic);
        await using var session = await fixture.OpenAsync();
        var page = session.Page;
        await page.GotoAsync($"#/topics/{topic}");
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Start live tail" });
        var state = page.Locator(".tail-state");

        await page.GetByLabel("Tail filter").FillAsync("color = ");
        await start.ClickAsync();
        await Expect(state).ToHaveTextAsync("Stopped.");
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("InvalidFilter");
        await Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("position 9");

        await page.GetByLabel("Tail filter").FillAsync("color = 'red'");
        await start.ClickAsync();
        await Expect(state).ToContainTextAsync("filtered");
        await Host.PublishAsync(topic, Colored("blue-1", "blue"), Colored("red-1", "red"), Colored("blue-2", "blue"), Colored("red-2", "red"));

        var log = page.GetByRole(AriaRole.Log);
        await Expect(log.Locator("li").First).ToContainTextAsync("id red-2");
        await Expect(log.Locator("li")).ToHaveCountAsync(2);
        await Expect(log).Not.ToContainTextAsync("blue");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop live tail" }).ClickAsync();
        await Expect(state).ToHaveTextAsync("Stopped.");
        session.AssertNoErrors();
    }
}
