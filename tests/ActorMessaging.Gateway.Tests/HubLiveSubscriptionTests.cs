using ActorMessaging.Gateway.Hubs;

namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubLiveSubscriptionTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Live_StartsAtLatest_AcksItself_AndIsDeletedWhenTheConnectionCloses()
    {
        var topic = await Host.CreateTopicAsync();
        await using var publisher = await HubTestClient.ConnectAsync(Host.Address);
        await publisher.PublishNumbersAsync(topic, 3);
        var client = await HubTestClient.ConnectAsync(Host.Address);

        var live = await client.SubscribeAsync(topic, null, maxInFlight: 4);

        Assert.StartsWith(HubSubscriptions.LivePrefix, live, StringComparison.Ordinal);
        Assert.Contains(live, await Host.SubscriptionsOfAsync(topic));
        await publisher.PublishNumbersAsync(topic, 10, first: 3);
        await client.WaitForAsync(10);
        Assert.Equal(Enumerable.Range(4, 10).Select(i => (long)i), client.Received.Select(m => m.Sequence).Order());
        Assert.All(client.Received, m => Assert.Equal((topic, live), (m.Topic, m.Subscription)));

        // Acked as sent, without the client acking: more than maxInFlight arrived, and nothing stays in the backlog.
        await Eventually.TrueAsync(async () => (await Host.StatsAsync(topic, live)) is { Backlog: 0, InFlight: 0 }, "the live subscription to ack itself");

        await client.DisposeAsync();
        await Eventually.TrueAsync(async () => !(await Host.SubscriptionsOfAsync(topic)).Contains(live), "the live subscription to be deleted");
        var gone = await Assert.ThrowsAsync<ActorMessagingException>(() => Host.StatsAsync(topic, live));
        Assert.Equal(ErrorCode.SubscriptionNotFound, gone.Code);
    }

    [Fact]
    public async Task Unsubscribe_Live_DeletesTheSubscription()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var live = await client.SubscribeAsync(topic, null);

        await client.UnsubscribeAsync(topic, live);

        Assert.DoesNotContain(live, await Host.SubscriptionsOfAsync(topic));
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
}
