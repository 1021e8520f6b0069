using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ReceiverTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task Pull_Ack_Nack_Extend()
    {
        var (topic, subscription) = (platform.NewName("pull"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { AckDeadlineSeconds = 2, MinBackoffSeconds = 0, MaxBackoffSeconds = 0 });
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync(Enumerable.Range(0, 3).Select(i => ActorMessage.FromJson(new { n = i })));
        var receiver = client.CreateReceiver(topic, subscription);

        var messages = await receiver.ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));
        Assert.Equal([1L, 2L, 3L], messages.Select(m => m.Sequence));
        Assert.Equal(2, messages[2].GetJson<System.Text.Json.JsonElement>().GetProperty("n").GetInt32());

        await receiver.AckAsync(messages[0]);
        await receiver.NackAsync(messages[1], TimeSpan.Zero);
        await receiver.ExtendAsync(messages[2], TimeSpan.FromSeconds(30));

        var again = await receiver.ReceiveAsync(maxMessages: 10, maxWait: TimeSpan.FromSeconds(5));
        var redelivered = Assert.Single(again);
        Assert.Equal((2L, 2), (redelivered.Sequence, redelivered.DeliveryAttempt));

        var failures = await receiver.AckAsync([messages[0], redelivered, messages[2]]);
        var failure = Assert.Single(failures);
        Assert.Equal(messages[0].AckId, failure.AckId);
        Assert.Equal(ErrorCode.AckIdExpired, failure.Code);
        var single = await Assert.ThrowsAsync<ActorMessagingException>(() => receiver.AckAsync(messages[0]));
        Assert.Equal(ErrorCode.AckIdExpired, single.Code);

        Assert.Empty(await receiver.ReceiveAsync(maxMessages: 10));
        var missing = client.CreateReceiver(topic, "missing");
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<ActorMessagingException>(() => missing.ReceiveAsync())).Code);
    }
}
