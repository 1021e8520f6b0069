using ActorMessaging.Gateway.Hubs.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubLiveSubscriptionTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    private LiveFeeds Feeds => Host.Services.GetRequiredService<LiveFeeds>();

    [Fact]
    public async Task Live_StartsAtLatest_AcksOnDelivery_AndLeavesNothingAtTheTopic()
    {
        var topic = await Host.CreateTopicAsync();
        await using var publisher = await HubTestClient.ConnectAsync(Host.Address);
        await publisher.PublishNumbersAsync(topic, 3);
        var client = await HubTestClient.ConnectAsync(Host.Address);

        var live = await client.SubscribeAsync(topic, null, maxInFlight: 4);

        Assert.StartsWith(LiveFeeds.LivePrefix, live, StringComparison.Ordinal);
        Assert.DoesNotContain(live, await Host.SubscriptionsOfAsync(topic));
        await publisher.PublishNumbersAsync(topic, 10, first: 3);
        await client.WaitForAsync(10);

        // More than maxInFlight arrived although the client acked nothing: acked on delivery.
        Assert.Equal(Enumerable.Range(4, 10).Select(i => (long)i), client.Received.Select(m => m.Sequence));
        Assert.All(client.Received, m => Assert.Equal((topic, live, 1), (m.Topic, m.Subscription, m.DeliveryAttempt)));
        Assert.Equal(Enumerable.Range(3, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), client.Received.Select(m => m.Data!.Value.GetProperty("n").GetRawText()));
        Assert.Empty(await client.AckAsync(topic, live, client.Received.Select(m => m.AckId)));
        var nack = await Assert.ThrowsAsync<HubException>(() => client.NackAsync(topic, live, [client.Received[0].AckId], null));
        Assert.StartsWith("1007 InvalidArgument", nack.Message, StringComparison.Ordinal);

        await client.DisposeAsync();
        await Eventually.TrueAsync(() => Feeds.Find(topic) is null, "the topic's live feed to go with its last subscriber");
    }

    [Fact]
    public async Task Unsubscribe_Live_StopsItsDeliveries()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var first = await client.SubscribeAsync(topic, null);
        var second = await client.SubscribeAsync(topic, null);

        await client.UnsubscribeAsync(topic, first);
        await client.PublishNumbersAsync(topic, 5);

        await client.WaitForAsync(5);
        Assert.All(client.Received, m => Assert.Equal(second, m.Subscription));
        await client.UnsubscribeAsync(topic, second);
        Assert.Null(Feeds.Find(topic));
    }

    [Fact]
    public async Task Live_EachSubscribeGetsItsOwnSubscription_AndAllOfThemReceiveEveryMessage()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await using var other = await HubTestClient.ConnectAsync(Host.Address);
        var first = await client.SubscribeAsync(topic, null);
        var second = await client.SubscribeAsync(topic, null);
        var third = await other.SubscribeAsync(topic, null);

        await client.PublishNumbersAsync(topic, 5);

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        await client.WaitForAsync(10);
        await other.WaitForAsync(5);
        Assert.Equal(5, client.Received.Count(m => m.Subscription == first));
        Assert.Equal(5, client.Received.Count(m => m.Subscription == second));
    }

    [Fact]
    public async Task Live_WithASmallWindow_CatchesUpFromTheLog_InOrder_WithoutLosingOrRepeating()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, null, maxInFlight: 1);

        for (var batch = 0; batch < 4; batch++)
        {
            await client.PublishNumbersAsync(topic, 50, first: batch * 50);
        }

        await client.WaitForAsync(200);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), client.Received.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Live_MissedPushes_AreReadBackFromTheLog_AtTheNextRenewal()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, null);
        await client.PublishNumbersAsync(topic, 2);
        await client.WaitForAsync(2);

        // As if the topic had moved to another silo: it no longer knows this gateway.
        await Host.Grains.GetGrain<ITopicGrain>(topic).UnwatchLiveAsync(Feeds.Reference());
        await client.PublishNumbersAsync(topic, 3, first: 2);
        await Feeds.RenewAllAsync(onlyFailed: false, CancellationToken.None);
        await client.PublishNumbersAsync(topic, 1, first: 5);

        await client.WaitForAsync(6);
        Assert.Equal([1L, 2, 3, 4, 5, 6], client.Received.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Live_OnADeletedTopic_Ends_AndSubscribingToAMissingTopicFails()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, null);

        await Host.Grains.GetGrain<ITopicGrain>(topic).DeleteAsync();

        await Eventually.TrueAsync(() => Feeds.Find(topic) is null, "the feed of the deleted topic to close");
        var missing = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync(topic, null));
        Assert.StartsWith("2001 TopicNotFound", missing.Message, StringComparison.Ordinal);
        Assert.Null(Feeds.Find(topic));
    }
}
