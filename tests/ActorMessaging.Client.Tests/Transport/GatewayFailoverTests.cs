using System.Collections.Concurrent;

namespace ActorMessaging.Client.Tests;

/// <summary>
/// The SDK across gateway failures: several endpoints with failover for publishers, receivers and processors, a retry
/// budget that outlasts an outage, and retried publishes that resend the same ids. "A gateway" that fails is a
/// <see cref="TcpProxy"/> in front of the test platform's gateway, or a port nobody listens on.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayFailoverTests(PlatformFixture platform)
{
    private Uri Endpoint => platform.Host.Address;

    [Fact]
    public async Task TwoEndpoints_TheFirstRefusingConnections_PublishReceiveAndProcessGoThroughTheSecond()
    {
        var refusing = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var (topic, subscription) = (platform.NewName("failover"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);

        // A client each, so each path meets the refusing gateway first: the hub (publish), HTTP (pull, ack), a processor.
        await using (var publishing = new ActorMessagingClient([refusing, Endpoint], TestClients.FastRetries()))
        {
            await using var publisher = publishing.CreatePublisher(topic);
            Assert.Equal([1L, 2L, 3L], await publisher.PublishBatchAsync(Enumerable.Range(0, 3).Select(i => new ActorMessage(BinaryData.FromString($"m{i}")))));
            Assert.Equal(Endpoint, publishing.Gateways.Current);
        }

        await using (var pulling = new ActorMessagingClient([refusing, Endpoint], TestClients.FastRetries()))
        {
            var receiver = pulling.CreateReceiver(topic, subscription);
            var pulled = Assert.Single(await receiver.ReceiveAsync(maxMessages: 1, maxWait: TimeSpan.FromSeconds(5)));
            await receiver.AckAsync(pulled);
            Assert.Equal(1L, pulled.Sequence);
        }

        await using var processing = new ActorMessagingClient([refusing, Endpoint], TestClients.FastRetries());
        var handled = new ConcurrentDictionary<long, byte>();
        await using var processor = processing.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            handled[args.Message.Sequence] = 0;
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        await processor.StartProcessingAsync();
        await Eventually.TrueAsync(() => handled.ContainsKey(2) && handled.ContainsKey(3), "the processor to handle messages 2 and 3");
    }

    [Fact]
    public async Task Processor_WhoseGatewayGoesAway_ReconnectsToTheNextEndpoint_AndHandlesEveryMessage()
    {
        await using var proxy = TcpProxy.Start(Endpoint);
        var (topic, subscription) = (platform.NewName("failover-processor"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        await using var direct = TestClients.Client(Endpoint);
        await using var publisher = direct.CreatePublisher(topic);

        await using var client = new ActorMessagingClient([proxy.Address, Endpoint], TestClients.FastRetries());
        var handled = new ConcurrentDictionary<long, byte>();
        var recorder = new Recorder();
        await using var processor = client.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            handled[args.Message.Sequence] = 0;
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += recorder.OnErrorAsync;
        await processor.StartProcessingAsync();
        await publisher.PublishBatchAsync(Enumerable.Range(0, 5).Select(i => new ActorMessage(BinaryData.FromString($"before {i}"))));
        await Eventually.TrueAsync(() => handled.Count == 5, "5 messages handled through the first gateway");
        Assert.True(proxy.OpenConnections > 0, "the processor is connected through the first gateway");

        proxy.Refuse();
        await publisher.PublishBatchAsync(Enumerable.Range(0, 5).Select(i => new ActorMessage(BinaryData.FromString($"after {i}"))));

        await Eventually.TrueAsync(() => handled.Count == 10, "the 5 messages published after the first gateway went to be handled");
        Assert.Equal(Endpoint, client.Gateways.Current);
        Assert.Contains(recorder.Errors, e => e.ErrorSource == ActorMessagingErrorSource.Receive);
        Assert.True(processor.IsProcessing);
    }

    [Fact]
    public async Task RetriedPublish_MovingToTheNextEndpoint_ResendsTheSameIds_AndIsStoredOnce()
    {
        await using var proxy = TcpProxy.Start(Endpoint);
        var (topic, subscription) = (platform.NewName("failover-ids"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        using var admin = TestClients.Admin(Endpoint);
        await using var client = new ActorMessagingClient([proxy.Address, Endpoint], TestClients.FastRetries());
        await using var publisher = client.CreatePublisher(topic);
        Assert.Equal(1L, await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("through the first gateway"))));

        // The gateway stores the batch, but its answer is lost with the connection: the SDK must retry (on the other
        // gateway) with the ids it gave these messages, which it chose itself (none is set here).
        proxy.SwallowResponses = true;
        var publishing = publisher.PublishBatchAsync(Enumerable.Range(0, 3).Select(i => new ActorMessage(BinaryData.FromString($"m{i}"))));
        await Eventually.TrueAsync(async () => (await admin.GetTopicAsync(topic)).LastSequence == 4, "the batch to be stored while its answer is held back");
        Assert.False(publishing.IsCompleted);
        proxy.Refuse();

        Assert.Equal([2L, 3L, 4L], await publishing.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(Endpoint, client.Gateways.Current);
        Assert.Equal(4, (await admin.GetTopicAsync(topic)).LastSequence);
        var stored = await client.CreateReceiver(topic, subscription).ReceiveAsync(maxMessages: 100, maxWait: TimeSpan.FromSeconds(5));
        Assert.Equal([1L, 2L, 3L, 4L], stored.Select(m => m.Sequence).Order());
        Assert.Equal(4, stored.Select(m => m.Id).Distinct().Count());
        Assert.All(stored, m => Assert.False(string.IsNullOrEmpty(m.Id)));
    }

    [Fact]
    public async Task Publish_OverAHubConnectionToAGatewayThatStopsAnswering_GivesTheConnectionUpAfterTheTryTimeout()
    {
        // A frozen gateway (SIGSTOP, a partition) keeps its sockets open and answers nothing, not even pings: SignalR
        // alone would notice after its 15 s server timeout, while every retry went into the same dead connection.
        await using var proxy = TcpProxy.Start(Endpoint);
        var (topic, subscription) = (platform.NewName("failover-frozen"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        var options = new ActorMessagingClientOptions
        {
            Retry = new ActorMessagingRetryOptions { TryTimeout = TimeSpan.FromSeconds(2), Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) },
        };
        await using var client = new ActorMessagingClient([proxy.Address, Endpoint], options);
        await using var publisher = client.CreatePublisher(topic);
        Assert.Equal(1L, await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("before the freeze"))));

        proxy.SwallowResponses = true;
        var publishing = publisher.PublishBatchAsync(Enumerable.Range(0, 3).Select(i => new ActorMessage(BinaryData.FromString($"m{i}"))));

        // One try timeout on the frozen gateway, then the next endpoint: well before the server timeout.
        Assert.Equal([2L, 3L, 4L], await publishing.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(Endpoint, client.Gateways.Current);
        Assert.Equal(5L, await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("after the freeze"))));
        using var admin = TestClients.Admin(Endpoint);
        Assert.Equal(5, (await admin.GetTopicAsync(topic)).LastSequence);
    }

    [Fact]
    public async Task Publish_AndProcessor_FirstMeetingAGatewayThatAcceptsConnectionsButNeverAnswers_MoveToTheNextEndpointAfterOneTryTimeout()
    {
        // A frozen gateway's kernel still completes TCP handshakes (the listen backlog) while the process answers
        // nothing: the WebSocket upgrade hangs. Before, a connection attempt ended by the try timeout did not move the
        // endpoints on, so every retry connected to the same frozen gateway again, for as long as it stayed frozen.
        using var frozen = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        frozen.Start();
        var frozenAddress = new Uri($"http://127.0.0.1:{((System.Net.IPEndPoint)frozen.LocalEndpoint).Port}/");
        var (topic, subscription) = (platform.NewName("failover-silent"), "s");
        await TestClients.CreateAsync(Endpoint, topic, subscription);
        var options = new ActorMessagingClientOptions
        {
            Retry = new ActorMessagingRetryOptions { TryTimeout = TimeSpan.FromSeconds(2), Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) },
        };

        await using (var publishing = new ActorMessagingClient([frozenAddress, Endpoint], options))
        {
            await using var publisher = publishing.CreatePublisher(topic);
            Assert.Equal(1L, await publisher.PublishAsync(new ActorMessage(BinaryData.FromString("past the frozen gateway"))).WaitAsync(TimeSpan.FromSeconds(15)));
            Assert.Equal(Endpoint, publishing.Gateways.Current);
        }

        await using var processing = new ActorMessagingClient([frozenAddress, Endpoint], options);
        var handled = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var processor = processing.CreateProcessor(topic, subscription);
        processor.ProcessMessageAsync += args =>
        {
            handled.TrySetResult(args.Message.Sequence);
            return Task.CompletedTask;
        };
        processor.ProcessErrorAsync += _ => Task.CompletedTask;
        await processor.StartProcessingAsync();
        Assert.Equal(1L, await handled.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(Endpoint, processing.Gateways.Current);
    }

    [Fact]
    public async Task Publish_ToAGatewayAnswering503ForTenSeconds_SucceedsWithTheDefaultRetryOptions()
    {
        // Regression: the default retries (3, about 3.5 s of backoff) gave up long before a failover ends.
        var time = new TimerCountingTimeProvider();
        var start = time.GetUtcNow();
        await using var proxy = TcpProxy.Start(Endpoint);
        proxy.Unavailable = () => time.GetUtcNow() - start < TimeSpan.FromSeconds(10);
        var topic = platform.NewName("failover-503");
        using (var admin = TestClients.Admin(Endpoint))
        {
            await admin.CreateOrUpdateTopicAsync(topic);
        }

        var options = new ActorMessagingClientOptions { TimeProvider = time };
        await using var client = new ActorMessagingClient([proxy.Address], options, random: () => 0.5);
        await using var publisher = client.CreatePublisher(topic);
        var publishing = publisher.PublishAsync(new ActorMessage(BinaryData.FromString("through the outage")));

        var waited = await time.AdvanceThroughWaitsAsync(() => publishing.IsCompleted, below: options.Retry.TryTimeout, "the publish to be retried through the outage");

        Assert.Equal(1L, await publishing);
        Assert.Equal(5, proxy.UnavailableAnswers);

        // Tries at 0, 0.5, 1.5, 3.5, 7.5 s (503) and 12.5 s (stored), on the fake clock.
        Assert.Equal(TimeSpan.FromSeconds(12.5), waited);
    }
}
