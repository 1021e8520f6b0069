using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class DeadLetterTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task Handler_DeadLettersExplicitly_AtTheFirstAttempt_WithReasonRejected()
    {
        var (topic, subscription) = (platform.NewName("reject"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        var poison = await publisher.PublishAsync(ActorMessage.FromJson(new { poison = true }));
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription, new ActorMessagingProcessorOptions { AutoAck = false });
        processor.ProcessMessageAsync += args => args.DeadLetterAsync();
        processor.ProcessErrorAsync += recorder.OnErrorAsync;

        await processor.StartProcessingAsync();

        using var admin = TestClients.Admin(Endpoint);
        var letter = await Eventually.ValueAsync(
            async () => await admin.GetDeadLettersAsync(topic, subscription).ToListAsync(),
            letters => letters.Count == 1,
            "the rejected message in the dead-letter store");
        Assert.Equal((poison, "rejected", 1), (letter[0].Sequence, letter[0].Reason, letter[0].DeliveryAttempts));
        await processor.StopProcessingAsync();
        Assert.Empty(recorder.Errors);
    }

    [Fact]
    public async Task Receiver_DeadLetters_AndReportsWhatDidNotApply()
    {
        var (topic, subscription) = (platform.NewName("reject-pull"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync([ActorMessage.FromJson(new { n = 1 }), ActorMessage.FromJson(new { n = 2 })]);
        var receiver = client.CreateReceiver(topic, subscription);
        var messages = await receiver.ReceiveAsync(maxMessages: 2, maxWait: TimeSpan.FromSeconds(5));
        Assert.Equal(2, messages.Count);

        await receiver.DeadLetterAsync(messages[0]);
        await receiver.AckAsync(messages[1]);

        var failure = Assert.Single(await receiver.DeadLetterAsync([messages[1]]));
        Assert.Equal(ErrorCode.AckIdExpired, failure.Code);
        using var admin = TestClients.Admin(Endpoint);
        var letter = Assert.Single(await admin.GetDeadLettersAsync(topic, subscription).ToListAsync());
        Assert.Equal((messages[0].Sequence, "rejected"), (letter.Sequence, letter.Reason));
        var stats = await admin.GetSubscriptionStatisticsAsync(topic, subscription);
        Assert.Equal((0L, 1L), (stats.Backlog, stats.DeadLettered));
    }
}
