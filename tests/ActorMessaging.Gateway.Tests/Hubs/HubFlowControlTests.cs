namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubFlowControlTests(HubFixture fixture)
{
    private static readonly SubscriptionSettings LongLeases = new() { AckDeadline = TimeSpan.FromMinutes(2) };

    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task MaxInFlight_BoundsUnackedDeliveries_UntilAcksOpenTheWindow()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic, settings: LongLeases);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription, maxInFlight: 3);

        await client.PublishNumbersAsync(topic, 10);

        // Every delivery is a lease first, and leases only end by ack here (2 minute deadline): with 3 in
        // flight, exactly 3 were ever sent, however long we would wait.
        await client.WaitForAsync(3);
        var stats = await Host.StatsAsync(topic, subscription);
        Assert.Equal((3, 10L), (stats.InFlight, stats.Backlog));
        Assert.Equal(3, client.Received.Count);

        await client.AckAsync(topic, subscription, client.Received.Take(3).Select(m => m.AckId));
        await client.WaitForAsync(6);
        stats = await Host.StatsAsync(topic, subscription);
        Assert.Equal((3, 7L), (stats.InFlight, stats.Backlog));
        Assert.Equal(6, client.Received.Count);

        await client.AckAsync(topic, subscription, client.Received.Skip(3).Select(m => m.AckId));
        await client.WaitForAsync(9);
        await client.AckAsync(topic, subscription, client.Received.Skip(6).Select(m => m.AckId));
        await client.WaitForAsync(10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), client.Received.Select(m => m.Sequence).Order());
    }

    [Fact]
    public async Task SlowConsumer_DelaysNeitherAnotherSubscription_NorAnotherConsumerOfItsOwn()
    {
        const int Messages = 300;
        var topic = await Host.CreateTopicAsync();
        var shared = await Host.CreateSubscriptionAsync(topic, "a", LongLeases);
        var other = await Host.CreateSubscriptionAsync(topic, "b", LongLeases);
        await using var slow = await HubTestClient.ConnectAsync(Host.Address);
        await using var fastSameSubscription = await HubTestClient.ConnectAsync(Host.Address);
        await using var fastOtherSubscription = await HubTestClient.ConnectAsync(Host.Address);
        await slow.SubscribeAsync(topic, shared, maxInFlight: 2);
        await slow.PublishNumbersAsync(topic, 2);
        await slow.WaitForAsync(2, "the slow consumer's window to fill");
        fastSameSubscription.AutoAck(topic, shared);
        fastOtherSubscription.AutoAck(topic, other);
        await fastSameSubscription.SubscribeAsync(topic, shared, maxInFlight: 20);
        await fastOtherSubscription.SubscribeAsync(topic, other, maxInFlight: 20);

        for (var batch = 0; batch < Messages; batch += 50)
        {
            await slow.PublishNumbersAsync(topic, 50, first: 2 + batch);
        }

        // The slow consumer never acks and holds its window of 2; both fast ones still get everything quickly.
        var deadline = TimeSpan.FromSeconds(15);
        await fastOtherSubscription.WaitForAsync(Messages + 2, "the other subscription's consumer to get every message", deadline);
        await fastSameSubscription.WaitForAsync(Messages, "the same subscription's fast consumer to get every message but the slow one's", deadline);
        Assert.Equal(2, slow.Received.Count);
        Assert.Empty(fastSameSubscription.AckErrors);
        Assert.Empty(fastOtherSubscription.AckErrors);
        var stats = await Eventually.ValueAsync(() => Host.StatsAsync(topic, shared), s => s.Backlog == 2, "every message but the slow consumer's to be acked");
        Assert.Equal(2, stats.InFlight);
        Assert.DoesNotContain(fastSameSubscription.Received, m => m.Sequence <= 2);
    }
}
