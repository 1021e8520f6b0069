using System.Collections.Concurrent;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

/// <summary>The SDK on an exactly-once subscription: the setting round-trips, and explicit, processor and auto acks apply.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ExactlyOnceTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task ExactlyOnce_RoundTrips_AndReceiverAndProcessorAcksApply()
    {
        var (topic, subscription) = (platform.NewName("eo"), "ledger");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { ExactlyOnce = true });
        using var admin = TestClients.Admin(Endpoint);
        Assert.True((await admin.GetSubscriptionAsync(topic, subscription)).Settings.ExactlyOnce);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync(Enumerable.Range(0, 4).Select(i => ActorMessage.FromJson(new { n = i })));

        var receiver = client.CreateReceiver(topic, subscription);
        var pulled = await receiver.ReceiveAsync(maxMessages: 1, maxWait: TimeSpan.FromSeconds(5));
        await receiver.AckAsync(Assert.Single(pulled));
        Assert.Equal(ErrorCode.AckIdExpired, (await Assert.ThrowsAsync<ActorMessagingException>(() => receiver.AckAsync(pulled[0]))).Code);

        // One message acked explicitly by the handler, the others by auto-ack.
        var handled = new ConcurrentQueue<long>();
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += async args =>
        {
            if (args.Message.Sequence == 2)
            {
                await args.AckAsync();
            }

            handled.Enqueue(args.Message.Sequence);
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();

        await Eventually.TrueAsync(async () => (await admin.GetSubscriptionStatisticsAsync(topic, subscription)) is { Backlog: 0, InFlight: 0 }, "every message to be acked");
        Assert.Equal([2L, 3L, 4L], handled.Order());
        Assert.Empty(recorder.Errors);
    }
}
