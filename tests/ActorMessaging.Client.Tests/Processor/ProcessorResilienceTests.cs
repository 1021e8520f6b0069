using System.Collections.Concurrent;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ProcessorResilienceTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task HandlerThatThrows_IsRedeliveredWithTheNextAttempt_ThenDeadLettered_AndEveryFailureIsReported()
    {
        var (topic, subscription) = (platform.NewName("failing"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { MaxDeliveryAttempts = 3, MinBackoffSeconds = 0, MaxBackoffSeconds = 0 });
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        var sequence = await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("poison")));

        var attempts = new ConcurrentQueue<int>();
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            attempts.Enqueue(args.Message.DeliveryAttempt);
            throw new InvalidOperationException($"cannot handle attempt {args.Message.DeliveryAttempt}");
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();

        using var admin = TestClients.Admin(Endpoint);
        await Eventually.TrueAsync(async () => (await admin.GetSubscriptionStatisticsAsync(topic, subscription)).DeadLettered == 1, "the message to be dead-lettered");
        var letter = Assert.Single(await admin.GetDeadLettersAsync(topic, subscription).ToListAsync());
        Assert.Equal(sequence, letter.Sequence);
        Assert.Equal(3, letter.DeliveryAttempts);
        Assert.Equal("maxDeliveryAttempts", letter.Reason);
        Assert.Equal([1, 2, 3], attempts);

        var failures = recorder.Errors.Where(e => e.ErrorSource == ActorMessagingErrorSource.ProcessMessageCallback).ToList();
        Assert.Equal([1, 2, 3], failures.Select(f => f.Message!.DeliveryAttempt));
        Assert.All(failures, f => Assert.IsType<InvalidOperationException>(f.Exception));
        Assert.All(failures, f => Assert.Equal((topic, subscription), (f.Topic, f.Subscription)));
        Assert.Equal(failures.Count, recorder.Errors.Count);
    }

    [Fact]
    public async Task HandlerRunningThreeTimesTheAckDeadline_KeepsItsLease_AndIsNotDeliveredTwice()
    {
        var (topic, subscription) = (platform.NewName("slow"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { AckDeadlineSeconds = 2, MinBackoffSeconds = 0, MaxBackoffSeconds = 0 });
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("slow work")));

        var deliveries = new ConcurrentQueue<ActorMessagingReceivedMessage>();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription, new ActorMessagingProcessorOptions { MaxConcurrentCalls = 2 });
        processor.ProcessMessageAsync += async args =>
        {
            deliveries.Enqueue(args.Message);
            await Task.Delay(TimeSpan.FromSeconds(6), args.CancellationToken);
            finished.TrySetResult();
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();

        await finished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        using var admin = TestClients.Admin(Endpoint);
        await Eventually.TrueAsync(async () => (await admin.GetSubscriptionStatisticsAsync(topic, subscription)).Backlog == 0, "the ack after the slow handler");
        var only = Assert.Single(deliveries);
        Assert.Equal(1, only.DeliveryAttempt);
        Assert.Empty(recorder.Errors);
    }

    [Fact]
    public async Task StopProcessing_LetsRunningHandlersFinish_AcksThem_AndLeavesNothingLeased()
    {
        var (topic, subscription) = (platform.NewName("stop"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { AckDeadlineSeconds = 60 });
        await using var client = TestClients.Client(Endpoint);
        await using var publisher = client.CreatePublisher(topic);
        await publisher.PublishBatchAsync(Enumerable.Range(0, 20).Select(i => new ActorMessage(BinaryData.FromString($"m{i}"))));

        var started = new ConcurrentQueue<long>();
        var completed = new ConcurrentQueue<long>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription, new ActorMessagingProcessorOptions { MaxConcurrentCalls = 4, PrefetchCount = 10 });
        processor.ProcessMessageAsync += async args =>
        {
            started.Enqueue(args.Message.Sequence);
            await release.Task;
            completed.Enqueue(args.Message.Sequence);
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();
        using var admin = TestClients.Admin(Endpoint);
        await Eventually.TrueAsync(async () => started.Count == 4 && (await admin.GetSubscriptionStatisticsAsync(topic, subscription)).InFlight == 10, "4 running handlers and 10 leased messages");

        var stopping = processor.StopProcessingAsync();
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping;

        Assert.Equal(started.Order(), completed.Order());
        Assert.Equal(4, completed.Count);
        var stats = await admin.GetSubscriptionStatisticsAsync(topic, subscription);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(16, stats.Backlog);
        Assert.Empty(recorder.Errors);

        // What was received but not handled is another consumer's at once.
        var receiver = client.CreateReceiver(topic, subscription);
        var rest = await receiver.ReceiveAsync(maxMessages: 100, maxWait: TimeSpan.FromSeconds(5));
        Assert.Equal(16, rest.Count);
        Assert.Empty(rest.Select(m => m.Sequence).Intersect(completed));
    }

    [Fact]
    public async Task Dispose_ClosesEverything_AndLaterUseThrowsObjectDisposed()
    {
        var (topic, subscription) = (platform.NewName("dispose"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription, new SubscriptionConfiguration { AckDeadlineSeconds = 60 });
        var client = TestClients.Client(Endpoint);
        var publisher = client.CreatePublisher(topic);
        var handled = new ConcurrentQueue<long>();
        var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            handled.Enqueue(args.Message.Sequence);
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        await processor.StartProcessingAsync();
        var queued = Enumerable.Range(0, 50).Select(i => publisher.PublishAsync(new ActorMessage(BinaryData.FromString($"m{i}")))).ToList();
        await Eventually.TrueAsync(() => !handled.IsEmpty, "the processor to handle a message");

        await client.DisposeAsync();

        Assert.Equal(50, (await Task.WhenAll(queued)).Distinct().Count());
        Assert.True(client.IsClosed && publisher.IsClosed && processor.IsClosed);
        Assert.False(processor.IsProcessing);
        Assert.Throws<ObjectDisposedException>(() => client.CreatePublisher(topic));
        Assert.Throws<ObjectDisposedException>(() => client.CreateProcessor(topic, subscription));
        Assert.Throws<ObjectDisposedException>(() => client.CreateReceiver(topic, subscription));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => publisher.PublishAsync(new ActorMessage()));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => processor.StartProcessingAsync());

        using var admin = TestClients.Admin(Endpoint);
        Assert.Equal(0, (await admin.GetSubscriptionStatisticsAsync(topic, subscription)).InFlight);
        admin.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => admin.GetTopicAsync(topic));
        await client.DisposeAsync();
    }
}
