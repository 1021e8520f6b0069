using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Gateway;
using ActorMessaging.Hosting;
using ActorMessaging.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The co-hosted platform (silo + gateway with its web console, memory storage) on loopback ports, started in
/// the test process, plus the HTTP API calls the browser tests use to set up and check. Its content root is an
/// empty folder: the console must come from the gateway assembly, not from files next to the host.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    /// <summary>
    /// A page with nothing but the console's copies of the stock SignalR browser client and its MessagePack
    /// protocol (<c>signalR.protocols.msgpack</c>), served by the host itself:
    /// a page that did not come from the loopback server (say, one fulfilled by Playwright) may not open a
    /// WebSocket to it under Chromium's local network access checks.
    /// </summary>
    public const string StockClientPagePath = "/tests/stock-client.html";

    private const string StockClientPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>stock SignalR client</title>
        <script src="/console/vendor/signalr.min.js"></script>
        <script src="/console/vendor/signalr-protocol-msgpack.min.js"></script>
        </head><body></body></html>
        """;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly string _contentRoot;

    private BrowserHost(WebApplication app, Uri address, string contentRoot)
    {
        _app = app;
        _contentRoot = contentRoot;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    /// <summary>The gateway's base address, ending in a slash; the console is served here.</summary>
    public Uri Address { get; }

    public HttpClient Http { get; }

    /// <param name="settings">Extra configuration (keys as in appsettings, e.g. "ActorMessaging:Auth:Mode").</param>
    public static async Task<BrowserHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var contentRoot = Directory.CreateTempSubdirectory("am-browser-").FullName;
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = contentRoot,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ActorMessaging:Storage:Provider"] = "Memory",
            ["ActorMessaging:Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["ActorMessaging:Cluster:ClientPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{port}",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddActorMessagingSilo();
        builder.AddActorMessagingGateway();

        var app = builder.Build();
        app.MapActorMessagingSilo();
        app.MapActorMessagingGateway();
        app.MapGet(StockClientPagePath, () => Results.Content(StockClientPage, "text/html; charset=utf-8"));
        await app.StartAsync();
        return new BrowserHost(app, new Uri($"http://127.0.0.1:{port}/"), contentRoot);
    }

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public async Task CreateTopicAsync(string topic)
    {
        using var response = await Http.PutAsJsonAsync($"v1/topics/{topic}", new TopicConfiguration(), Json);
        await EnsureSuccessAsync(response);
    }

    public async Task CreateSubscriptionAsync(string topic, string subscription, SubscriptionConfiguration? settings = null)
    {
        using var response = await Http.PutAsJsonAsync($"v1/topics/{topic}/subscriptions/{subscription}", settings ?? new SubscriptionConfiguration(), Json);
        await EnsureSuccessAsync(response);
    }

    public async Task<PublishResponse> PublishAsync(string topic, params PublishMessage[] messages)
    {
        using var response = await Http.PostAsJsonAsync($"v1/topics/{topic}/messages", new PublishRequest { Messages = messages }, Json);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<PublishResponse>(Json))!;
    }

    public async Task<SubscriptionDescription?> FindSubscriptionAsync(string topic, string subscription)
    {
        using var response = await Http.GetAsync($"v1/topics/{topic}/subscriptions/{subscription}");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<SubscriptionDescription>(Json);
    }

    public async Task<SubscriptionStatistics> StatsAsync(string topic, string subscription) =>
        (await FindSubscriptionAsync(topic, subscription))?.Stats
        ?? throw new InvalidOperationException($"Subscription '{subscription}' of topic '{topic}' does not exist.");

    public async Task<IReadOnlyList<SubscriptionDescription>> ListSubscriptionsAsync(string topic)
    {
        using var response = await Http.GetAsync($"v1/topics/{topic}/subscriptions");
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<SubscriptionList>(Json))!.Subscriptions;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> PullAsync(string topic, string subscription, int maxMessages = 10)
    {
        using var response = await Http.PostAsJsonAsync(
            $"v1/topics/{topic}/subscriptions/{subscription}/pull", new PullRequest { MaxMessages = maxMessages, WaitSeconds = 10 }, Json);
        await EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<PullResponse>(Json))!.Messages;
    }

    /// <summary>
    /// Publishes <paramref name="message"/> and makes it a dead letter of <paramref name="subscription"/>, which must
    /// allow one delivery attempt: pulls it, nacks it, and waits until the dead-letter store has it. Returns its sequence.
    /// </summary>
    public async Task<long> DeadLetterAsync(string topic, string subscription, PublishMessage message)
    {
        var sequence = (await PublishAsync(topic, message)).Results[0].Sequence;
        var pulled = await PullAsync(topic, subscription, maxMessages: 1);
        var delivery = Assert.Single(pulled);
        Assert.Equal(sequence, delivery.Sequence);
        using var response = await Http.PostAsJsonAsync(
            $"v1/topics/{topic}/subscriptions/{subscription}/nack", new NackRequest { AckIds = [delivery.AckId], DelaySeconds = 0 }, Json);
        await EnsureSuccessAsync(response);
        await Eventually.TrueAsync(async () => (await StatsAsync(topic, subscription)).DeadLettered == 1, $"message {sequence} to be dead-lettered");
        return sequence;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_contentRoot, recursive: true);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase} from {response.RequestMessage?.RequestUri}: {body}");
        }
    }
}
