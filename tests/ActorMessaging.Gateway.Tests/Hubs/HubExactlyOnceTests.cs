namespace ActorMessaging.Gateway.Tests;

/// <summary>Hub acks on an exactly-once subscription: answered once durable, with the same per-id failures as HTTP.</summary>
[Collection(HubCollection.Name)]
public sealed class HubExactlyOnceTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Ack_OnExactlyOnce_Applies_AndAnAckOfASettledMessageIsReported()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic, settings: new SubscriptionSettings { ExactlyOnce = true });
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);
        await client.PublishNumbersAsync(topic, 3);
        await client.WaitForAsync(3);
        var ackIds = client.Received.Select(m => m.AckId).ToList();

        Assert.Empty(await client.AckAsync(topic, subscription, ackIds));
        var again = await client.AckAsync(topic, subscription, ackIds.Take(1));

        Assert.Equal(ErrorCode.AckIdExpired, (ErrorCode)Assert.Single(again).Code);
        var stats = await Host.StatsAsync(topic, subscription);
        Assert.Equal((0L, 0), (stats.Backlog, stats.InFlight));
    }
}
