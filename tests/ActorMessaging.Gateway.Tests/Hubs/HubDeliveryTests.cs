using System.Diagnostics;

namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubDeliveryTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Subscribe_Durable_DeliversWithTopicAndSubscription()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);

        Assert.Equal(subscription, await client.SubscribeAsync(topic, subscription));
        await client.PublishAsync(
            topic,
            new { id = "m1", data = new { n = 7 }, attributes = new Dictionary<string, string> { ["k"] = "v" } },
            new { dataBase64 = Convert.ToBase64String([9, 8]) });
        await client.WaitForAsync(2);

        var json = client.Received.Single(m => m.Sequence == 1);
        Assert.Equal(topic, json.Topic);
        Assert.Equal(subscription, json.Subscription);
        Assert.Equal("m1", json.Id);
        Assert.Equal(1, json.DeliveryAttempt);
        Assert.Equal(7, json.Data!.Value.GetProperty("n").GetInt32());
        Assert.Null(json.DataBase64);
        Assert.Equal("v", json.Attributes!["k"]);
        Assert.False(string.IsNullOrEmpty(json.AckId));
        var binary = client.Received.Single(m => m.Sequence == 2);
        Assert.Null(binary.Data);
        Assert.Equal(Convert.ToBase64String([9, 8]), binary.DataBase64);
        Assert.Equal(subscription, binary.Subscription);
    }

    [Fact]
    public async Task Ack_DropsBacklog()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);
        await client.PublishNumbersAsync(topic, 5);
        await client.WaitForAsync(5);
        Assert.Equal(5, (await Host.StatsAsync(topic, subscription)).Backlog);

        var failures = await client.AckAsync(topic, subscription, client.Received.Select(m => m.AckId));

        Assert.Empty(failures);
        var stats = await Host.StatsAsync(topic, subscription);
        Assert.Equal((0L, 0), (stats.Backlog, stats.InFlight));
    }

    [Fact]
    public async Task Ack_ReportsIdsThatDidNotApply()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);
        await client.PublishNumbersAsync(topic, 1);
        await client.WaitForAsync(1);
        var ackId = client.Received[0].AckId;

        Assert.Empty(await client.AckAsync(topic, subscription, [ackId]));
        var failures = await client.AckAsync(topic, subscription, [ackId, "not-an-ack-id"]);

        Assert.Equal([(ackId, 3002, "AckIdExpired"), ("not-an-ack-id", 3001, "AckIdUnknown")], failures.Select(f => (f.AckId, f.Code, f.Error)));
    }

    [Fact]
    public async Task Nack_WithDelay_RedeliversAfterTheDelay()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);
        await client.PublishNumbersAsync(topic, 1);
        await client.WaitForAsync(1);

        var clock = Stopwatch.StartNew();
        Assert.Empty(await client.NackAsync(topic, subscription, [client.Received[0].AckId], delaySeconds: 1));
        await client.WaitForAsync(2, "the nacked message to come back");

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"Redelivered after {clock.Elapsed.TotalMilliseconds} ms, before the 1 s delay.");
        var again = client.Received[1];
        Assert.Equal((1L, 2), (again.Sequence, again.DeliveryAttempt));
        Assert.Empty(await client.AckAsync(topic, subscription, [again.AckId]));
        Assert.Equal(0, (await Host.StatsAsync(topic, subscription)).Backlog);
    }

    [Fact]
    public async Task TwoConnections_OnOneDurableSubscription_CompeteForItsMessages()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic, settings: new SubscriptionSettings { AckDeadline = TimeSpan.FromMinutes(2) });
        await using var first = await HubTestClient.ConnectAsync(Host.Address);
        await using var second = await HubTestClient.ConnectAsync(Host.Address);
        await first.SubscribeAsync(topic, subscription, maxInFlight: 5);
        await second.SubscribeAsync(topic, subscription, maxInFlight: 5);

        // Ten messages and two windows of five: each connection gets its window full, no message twice.
        await first.PublishNumbersAsync(topic, 10);
        await first.WaitForAsync(5);
        await second.WaitForAsync(5);

        var a = first.Received.Select(m => m.Sequence).ToHashSet();
        var b = second.Received.Select(m => m.Sequence).ToHashSet();
        Assert.Empty(a.Intersect(b));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), a.Union(b).Order());
        await first.AckAsync(topic, subscription, first.Received.Select(m => m.AckId));
        await second.AckAsync(topic, subscription, second.Received.Select(m => m.AckId));
        Assert.Equal(0, (await Host.StatsAsync(topic, subscription)).Backlog);
    }

    [Fact]
    public async Task Disconnect_DetachesAtOnce_AndItsUnackedMessagesGoToTheOtherConsumer()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic, settings: new SubscriptionSettings { AckDeadline = TimeSpan.FromMinutes(2) });
        await using var leaving = await HubTestClient.ConnectAsync(Host.Address);
        await leaving.SubscribeAsync(topic, subscription);
        await leaving.PublishNumbersAsync(topic, 3);
        await leaving.WaitForAsync(3);
        await using var staying = await HubTestClient.ConnectAsync(Host.Address);
        await staying.SubscribeAsync(topic, subscription);

        await leaving.Connection.StopAsync();

        // Well before the 2 minute ack deadline: the leases were released when the connection left.
        await staying.WaitForAsync(3, "the leaving connection's messages to be redelivered", TimeSpan.FromSeconds(15));
        Assert.All(staying.Received, m => Assert.Equal(2, m.DeliveryAttempt));
        Assert.Equal(1, (await Host.StatsAsync(topic, subscription)).ConsumersAttached);
    }

    [Fact]
    public async Task Unsubscribe_StopsDeliveries_ToThatConnection()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var leaving = await HubTestClient.ConnectAsync(Host.Address);
        await using var witness = await HubTestClient.ConnectAsync(Host.Address);
        await leaving.SubscribeAsync(topic, subscription);
        await witness.SubscribeAsync(topic, subscription);
        witness.AutoAck(topic, subscription);

        await leaving.UnsubscribeAsync(topic, subscription);
        await leaving.UnsubscribeAsync(topic, subscription);
        await leaving.PublishNumbersAsync(topic, 20);

        // The witness received and acked every message, so none can still be on its way to the leaving connection.
        await witness.WaitForAsync(20);
        await Eventually.TrueAsync(async () => (await Host.StatsAsync(topic, subscription)).Backlog == 0, "the witness's acks");
        Assert.Empty(leaving.Received);
        Assert.Equal(1, (await Host.StatsAsync(topic, subscription)).ConsumersAttached);
    }
}
