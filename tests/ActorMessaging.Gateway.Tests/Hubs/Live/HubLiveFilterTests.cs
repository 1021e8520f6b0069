using System.Globalization;
using ActorMessaging.Filters;
using ActorMessaging.Gateway.Hubs.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Live hub subscriptions with <c>options.filter</c>: the subscription filter language, applied at the gateway.</summary>
[Collection(HubCollection.Name)]
public sealed class HubLiveFilterTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    private LiveFeeds Feeds => Host.Services.GetRequiredService<LiveFeeds>();

    private static Task<string> SubscribeAsync(HubTestClient client, string topic, string? subscription, string filter, int? maxInFlight = null) =>
        client.Connection.InvokeAsync<string>("Subscribe", topic, subscription, new { filter, maxInFlight });

    /// <summary>Publishes <paramref name="count"/> messages whose attribute <c>color</c> alternates <c>blue</c>, <c>red</c> (even sequences are red).</summary>
    private static async Task PublishColorsAsync(HubTestClient client, string topic, int count, int first = 0) =>
        await client.PublishAsync(topic, [.. Enumerable.Range(first, count).Select(i => (object)new
        {
            data = new { n = i },
            attributes = new Dictionary<string, string> { ["color"] = i % 2 == 0 ? "blue" : "red", ["n"] = i.ToString(CultureInfo.InvariantCulture) },
        })]);

    [Fact]
    public async Task Live_WithAFilter_ReceivesOnlyWhatItMatches_WhileOthersReceiveEverything()
    {
        var topic = await Host.CreateTopicAsync("live-filter");
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var red = await SubscribeAsync(client, topic, null, "color = 'red' AND n >= 3");
        var all = await client.SubscribeAsync(topic, null);

        await PublishColorsAsync(client, topic, 10);

        // Live delivery is in order: once the last match arrived, nothing before it is still on its way.
        await Eventually.TrueAsync(() => client.Received.Any(m => m.Subscription == red && m.Sequence == 10), "the last red message");
        await client.WaitForAsync(14, "every message on the unfiltered subscription");
        Assert.Equal([4L, 6, 8, 10], client.Received.Where(m => m.Subscription == red).Select(m => m.Sequence));
        Assert.All(client.Received.Where(m => m.Subscription == red), m => Assert.Equal("red", m.Attributes!["color"]));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), client.Received.Where(m => m.Subscription == all).Select(m => m.Sequence));
    }

    [Fact]
    public async Task Live_WithAFilter_AndASmallWindow_CatchesUpFromTheLog_WithOnlyWhatItMatches()
    {
        var topic = await Host.CreateTopicAsync("live-filter");
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var red = await SubscribeAsync(client, topic, null, "color = 'red'", maxInFlight: 1);

        for (var batch = 0; batch < 4; batch++)
        {
            await PublishColorsAsync(client, topic, 50, first: batch * 50);
        }

        await client.WaitForAsync(100);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)(i * 2)), client.Received.Select(m => m.Sequence));
        Assert.All(client.Received, m => Assert.Equal(red, m.Subscription));
    }

    [Fact]
    public async Task Live_MalformedFilter_IsInvalidFilter_LikeTheHttpApi_AndStartsNothing()
    {
        var topic = await Host.CreateTopicAsync("live-filter");
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        const string filter = "color = 'red' AND";
        var expected = Assert.Throws<BrokerException>(() => MessageFilter.Compile(filter));

        var error = await Assert.ThrowsAsync<HubException>(() => SubscribeAsync(client, topic, null, filter));

        Assert.Equal($"1008 InvalidFilter: {expected.Message}", error.Message);
        Assert.Contains("at position 18: expected", error.Message, StringComparison.Ordinal);
        Assert.Null(Feeds.Find(topic));
    }

    [Fact]
    public async Task Filter_OnADurableSubscription_IsInvalidArgument_PointingAtItsSettings()
    {
        var topic = await Host.CreateTopicAsync("live-filter");
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);

        var error = await Assert.ThrowsAsync<HubException>(() => SubscribeAsync(client, topic, subscription, "color = 'red'"));

        Assert.StartsWith("1007 InvalidArgument: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("durable", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Host.StatsAsync(topic, subscription)).ConsumersAttached);
    }

    [Fact]
    public async Task Filter_OnResubscribingToOnesLiveSubscription_IsInvalidArgument_AndKeepsIt()
    {
        var topic = await Host.CreateTopicAsync("live-filter");
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var live = await SubscribeAsync(client, topic, null, "color = 'red'");

        var error = await Assert.ThrowsAsync<HubException>(() => SubscribeAsync(client, topic, live, "color = 'blue'"));
        await PublishColorsAsync(client, topic, 2);

        Assert.StartsWith("1007 InvalidArgument: ", error.Message, StringComparison.Ordinal);
        await client.WaitForAsync(1);
        Assert.Equal([2L], client.Received.Select(m => m.Sequence));
    }
}
