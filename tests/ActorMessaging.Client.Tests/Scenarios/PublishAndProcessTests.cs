using System.Collections.Concurrent;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class PublishAndProcessTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task Publish_ReturnsTheSequence_AndTheProcessorGetsEveryField()
    {
        var (topic, subscription) = (platform.NewName("orders"), "billing");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);

        var json = ActorMessage.FromJson(new Order("o-1", 42));
        json.Id = "order-1";
        json.Attributes["region"] = "eu";
        json.OrderingKey = "customer-7";
        var first = await publisher.PublishAsync(json);
        var binary = new ActorMessage(new byte[] { 0, 1, 2, 255 }) { ContentType = "application/octet-stream" };
        var second = await publisher.PublishAsync(binary);
        Assert.Equal(first + 1, second);

        var received = new ConcurrentQueue<ActorMessagingReceivedMessage>();
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            received.Enqueue(args.Message);
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();
        await Eventually.TrueAsync(() => received.Count == 2, "both messages");

        var order = received.Single(m => m.Sequence == first);
        Assert.Equal("order-1", order.Id);
        Assert.Equal(new Order("o-1", 42), order.GetJson<Order>());
        Assert.Equal("application/json", order.ContentType);
        Assert.Equal("eu", order.Attributes["region"]);
        Assert.Equal("customer-7", order.OrderingKey);
        Assert.Equal(1, order.DeliveryAttempt);
        Assert.Equal((topic, subscription), (order.Topic, order.Subscription));
        var bytes = received.Single(m => m.Sequence == second);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, bytes.Data.ToArray());
        Assert.NotNull(bytes.Id);

        using var admin = TestClients.Admin(Endpoint);
        await Eventually.TrueAsync(async () => (await admin.GetSubscriptionStatisticsAsync(topic, subscription)).Backlog == 0, "both messages to be acked");
        Assert.Empty(recorder.Errors);
    }

    [Fact]
    public async Task ConcurrentPublishes_AreBatched_AndEachGetsItsOwnSequence()
    {
        var topic = platform.NewName("batched");
        using var admin = TestClients.Admin(Endpoint);
        await admin.CreateOrUpdateTopicAsync(topic);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("warm-up")));

        var sequences = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => publisher.PublishAsync(new ActorMessage(BinaryData.FromString($"m{i}"))))));

        Assert.Equal(500, sequences.Distinct().Count());
        Assert.Equal(501, (await admin.GetTopicAsync(topic)).LastSequence);
        Assert.True(publisher.BatchesSent < 250, $"500 concurrent publishes took {publisher.BatchesSent} batches");
    }

    [Fact]
    public async Task PublishBatch_IsStoredInOrder_AndADuplicateIdGetsTheFirstSequence()
    {
        var topic = platform.NewName("batch");
        using var admin = TestClients.Admin(Endpoint);
        await admin.CreateOrUpdateTopicAsync(topic);
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);

        var sequences = await publisher.PublishBatchAsync(Enumerable.Range(0, 10).Select(i => new ActorMessage(BinaryData.FromString($"m{i}")) { Id = $"id-{i}" }));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), sequences);
        Assert.Equal(4, await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("again")) { Id = "id-3" }));
    }

    [Fact]
    public async Task Errors_SurfaceAtOnce_WithTheCatalogCode_AndTheEntityName()
    {
        var missing = platform.NewName("missing");
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(missing);

        var notFound = await Assert.ThrowsAsync<ActorMessagingException>(() => publisher.PublishAsync(new ActorMessage(BinaryData.FromString("x"))));
        Assert.Equal(ErrorCode.TopicNotFound, notFound.Code);
        Assert.False(notFound.IsTransient);
        Assert.Contains(missing, notFound.Message, StringComparison.Ordinal);

        var badName = Assert.Throws<ActorMessagingException>(() => client.CreatePublisher("no spaces"));
        Assert.Equal(ErrorCode.InvalidName, badName.Code);

        var topic = platform.NewName("errors");
        using var admin = TestClients.Admin(Endpoint);
        await admin.CreateOrUpdateTopicAsync(topic, new TopicConfiguration { MaxMessageBytes = 100 });
        await using var small = client.CreatePublisher(topic);
        var tooLarge = await Assert.ThrowsAsync<ActorMessagingException>(() => small.PublishAsync(new ActorMessage(new byte[200])));
        Assert.Equal(ErrorCode.MessageTooLarge, tooLarge.Code);

        await using var processor = client.CreateProcessor(topic, "nobody");
        processor.ProcessMessageAsync += _ => Task.CompletedTask;
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        var noSubscription = await Assert.ThrowsAsync<ActorMessagingException>(() => processor.StartProcessingAsync());
        Assert.Equal(ErrorCode.SubscriptionNotFound, noSubscription.Code);
        Assert.Contains("nobody", noSubscription.Message, StringComparison.Ordinal);
        Assert.False(processor.IsProcessing);
    }

    [Fact]
    public async Task Processor_NeedsBothHandlers_AndRunsOnce()
    {
        var (topic, subscription) = (platform.NewName("handlers"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        await using var client = TestClients.Client(Endpoint);
        await using var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += _ => Task.CompletedTask;
        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.StartProcessingAsync());
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        Assert.Throws<NotSupportedException>(() => processor.ProcessErrorAsync += _ => Task.CompletedTask);
        await processor.StartProcessingAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.StartProcessingAsync());
        Assert.Throws<InvalidOperationException>(() => processor.ProcessMessageAsync += _ => Task.CompletedTask);
        await processor.StopProcessingAsync();
        Assert.False(processor.IsProcessing);
    }

    [Fact]
    public async Task ManualSettlement_AckAndNackFromTheHandler()
    {
        var (topic, subscription) = (platform.NewName("manual"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { MinBackoffSeconds = 0, MaxBackoffSeconds = 0 });
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        var sequence = await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("once more")));

        var attempts = new ConcurrentQueue<int>();
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription, new ActorMessagingProcessorOptions { AutoAck = false });
        processor.ProcessMessageAsync += async args =>
        {
            attempts.Enqueue(args.Message.DeliveryAttempt);
            if (args.Message.DeliveryAttempt == 1)
            {
                await args.NackAsync(TimeSpan.Zero);
            }
            else
            {
                await args.AckAsync();
                await Assert.ThrowsAsync<InvalidOperationException>(() => args.AckAsync());
            }
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();

        using var admin = TestClients.Admin(Endpoint);
        await Eventually.TrueAsync(async () => (await admin.GetSubscriptionStatisticsAsync(topic, subscription)).Backlog == 0, "the message to be acked on its second delivery");
        Assert.Equal([1, 2], attempts);
        Assert.Empty(recorder.Errors);
        Assert.Equal(1, sequence);
    }

    private sealed record Order(string Id, int Total);
}
