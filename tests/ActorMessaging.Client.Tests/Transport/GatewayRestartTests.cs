using System.Collections.Concurrent;

namespace ActorMessaging.Client.Tests;

/// <summary>The SDK against a standalone gateway process (an Orleans client of the in-process silo) that is stopped and started again.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayRestartTests(PlatformFixture platform)
{
    [Fact]
    public async Task GatewayStoppedAndStartedAgain_ProcessorReconnects_AndEveryAcknowledgedPublishIsProcessed()
    {
        var cluster = GatewayProcess.ClientOf(platform.Host);
        var gateway = await GatewayProcess.StartAsync(cluster, "before the restart");
        try
        {
            var (topic, subscription) = (platform.NewName("restart"), "s");
            await TestClients.CreateAsync(gateway.Address, topic, subscription);
            var options = new ActorMessagingClientOptions
            {
                Retry = new ActorMessagingRetryOptions { MaxRetries = 20, Delay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), TryTimeout = TimeSpan.FromSeconds(10) },
            };
            await using var client = new ActorMessagingClient(gateway.Address, options);
            await using var publisher = client.CreatePublisher(topic);

            var handled = new ConcurrentDictionary<long, int>();
            var recorder = new Recorder();
            await using var processor = client.CreateProcessor(topic, subscription, new ActorMessagingProcessorOptions { MaxConcurrentCalls = 4 });
            processor.ProcessMessageAsync += args =>
            {
                handled.AddOrUpdate(args.Message.Sequence, 1, (_, n) => n + 1);
                return Task.CompletedTask;
            };
            processor.ProcessErrorAsync += recorder.OnErrorAsync;
            await processor.StartProcessingAsync();

            // Two publishers publish one message at a time throughout: before, during and after the outage.
            var acknowledged = new ConcurrentBag<long>();
            var failed = new ConcurrentBag<Exception>();
            using var stopPublishing = new CancellationTokenSource();
            var publishing = Enumerable.Range(0, 2).Select(p => Task.Run(async () =>
            {
                for (var i = 0; !stopPublishing.IsCancellationRequested; i++)
                {
                    try
                    {
                        acknowledged.Add(await publisher.PublishAsync(new ActorMessage(BinaryData.FromString($"p{p}-{i}"))));
                    }
                    catch (ActorMessagingException exception)
                    {
                        failed.Add(exception);
                    }

                    await Task.Delay(5);
                }
            })).ToList();

            await Eventually.TrueAsync(() => handled.Count >= 50, "messages to be processed before the restart");
            var beforeStop = acknowledged.Count;
            Assert.Equal(0, await gateway.StopAsync());
            await gateway.DisposeAsync();
            gateway = await GatewayProcess.StartAsync(cluster, "after the restart", gateway.HttpPort);
            var afterStart = acknowledged.Count;
            await Eventually.TrueAsync(() => acknowledged.Count >= afterStart + 50, "publishes after the restart", TimeSpan.FromSeconds(60));
            await stopPublishing.CancelAsync();
            await Task.WhenAll(publishing);

            var published = acknowledged.ToHashSet();
            await Eventually.TrueAsync(() => published.All(handled.ContainsKey), $"every acknowledged publish to be processed ({published.Count} published)", TimeSpan.FromSeconds(60));
            Assert.True(processor.IsProcessing);
            Assert.True(beforeStop > 0 && afterStart >= beforeStop, $"published {beforeStop} before the stop, {afterStart} once it was back");
            Assert.Contains(recorder.Errors, e => e.ErrorSource == ActorMessagingErrorSource.Receive);

            // A publish that failed said so with a transient error after its retries; none failed for another reason.
            Assert.All(failed, e => Assert.True(((ActorMessagingException)e).IsTransient, e.ToString()));
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }
}
