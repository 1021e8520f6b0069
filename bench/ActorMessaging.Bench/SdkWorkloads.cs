using ActorMessaging.Client;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.Bench;

/// <summary>
/// The <c>sdk</c> command's four workloads, each through the SDK and through the raw SignalR client doing the same work:
/// the same 256-byte messages (base64 on the wire, each with a message id, as the SDK sends them), the same hub methods.
/// Each returns messages per second in the measured window.
/// </summary>
internal static class SdkWorkloads
{
    private const int TopUpBatch = 1000;

    // Messages published but not yet consumed, at least: the consumers never run dry.
    private const int Backlog = 50_000;

    private static readonly byte[] Payload = [.. Enumerable.Range(0, SdkOptions.PayloadBytes).Select(i => (byte)i)];
    private static readonly string PayloadBase64 = Convert.ToBase64String(Payload);

    /// <summary><paramref name="callers"/> closed-loop callers of <see cref="ActorMessagingPublisher.PublishAsync"/> on one publisher.</summary>
    public static async Task<SdkRate> SdkPublishAsync(SdkPlatform platform, int callers, SdkOptions options)
    {
        var topic = await platform.CreateTopicAsync();
        await using var publisher = platform.Client.CreatePublisher(topic);
        try
        {
            return await ClosedLoopAsync(callers, () => publisher.PublishAsync(new ActorMessage(Payload) { ContentType = "application/octet-stream" }), options);
        }
        finally
        {
            await platform.Admin.DeleteTopicAsync(topic);
        }
    }

    /// <summary>The same with the raw client: <paramref name="callers"/> closed-loop <c>Publish</c> invocations of one message on one connection.</summary>
    public static async Task<SdkRate> RawPublishAsync(SdkPlatform platform, int callers, SdkOptions options)
    {
        var topic = await platform.CreateTopicAsync();
        await using var connection = await platform.ConnectRawAsync();
        try
        {
            return await ClosedLoopAsync(callers, () => connection.InvokeAsync<List<PublishMessageResult>>("Publish", topic, new[]
            {
                new PublishMessage { Id = Guid.NewGuid().ToString("N"), DataBase64 = PayloadBase64, ContentType = "application/octet-stream" },
            }), options);
        }
        finally
        {
            await platform.Admin.DeleteTopicAsync(topic);
        }
    }

    /// <summary>One processor (<paramref name="concurrency"/> handlers, auto-ack) draining a backlog that is kept topped up.</summary>
    public static async Task<SdkRate> SdkProcessAsync(SdkPlatform platform, int concurrency, SdkOptions options)
    {
        long consumed = 0;
        return await WithBacklogAsync(platform, options, () => Interlocked.Read(ref consumed), async topic =>
        {
            var processor = platform.Client.CreateProcessor(topic, "bench", new ActorMessagingProcessorOptions { MaxConcurrentCalls = concurrency, PrefetchCount = options.Prefetch });
            processor.ProcessMessageAsync += args =>
            {
                if (args.Message.Data.ToMemory().Length == SdkOptions.PayloadBytes)
                {
                    Interlocked.Increment(ref consumed);
                }

                return Task.CompletedTask;
            };
            processor.ProcessErrorAsync += args => Console.Error.WriteLineAsync($"processor error ({args.ErrorSource}): {args.Exception.Message}");
            await processor.StartProcessingAsync();
            return processor;
        });
    }

    /// <summary>The same with the raw client: <c>Subscribe</c>, decode each delivered payload, ack each <c>Deliver</c> batch in one call.</summary>
    public static async Task<SdkRate> RawProcessAsync(SdkPlatform platform, SdkOptions options)
    {
        long consumed = 0;
        return await WithBacklogAsync(platform, options, () => Interlocked.Read(ref consumed), async topic =>
        {
            var connection = await platform.ConnectRawAsync();
            connection.On<ReceivedMessage[]>("Deliver", messages =>
            {
                var ackIds = new string[messages.Length];
                for (var i = 0; i < messages.Length; i++)
                {
                    var length = messages[i].DataBytes is { } bytes ? bytes.Length : Convert.FromBase64String(messages[i].DataBase64!).Length;
                    if (length == SdkOptions.PayloadBytes)
                    {
                        Interlocked.Increment(ref consumed);
                    }

                    ackIds[i] = messages[i].AckId;
                }

                // Not awaited: awaiting an invocation inside a client method handler would hold up the next Deliver.
                _ = connection.InvokeAsync<List<AckIdFailure>>("Ack", topic, "bench", ackIds).ContinueWith(
                    t =>
                    {
                        // Acks still in flight when the run ends fail with the disposed connection; nothing else should.
                        if (t.Exception?.GetBaseException() is { } error and not ObjectDisposedException)
                        {
                            Console.Error.WriteLine($"raw ack failed: {error.Message}");
                        }
                    },
                    TaskContinuationOptions.OnlyOnFaulted);
            });
            await connection.InvokeAsync<string>("Subscribe", topic, "bench", new { maxInFlight = options.Prefetch });
            return connection;
        });
    }

    private static async Task<SdkRate> ClosedLoopAsync(int callers, Func<Task> call, SdkOptions options)
    {
        long count = 0;
        using var stop = new CancellationTokenSource();
        var loops = Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await call();
                Interlocked.Increment(ref count);
            }
        })).ToList();
        var rate = await MeasureAsync(() => Interlocked.Read(ref count), options);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        return rate;
    }

    /// <summary>A topic with subscription <c>bench</c> whose backlog a top-up loop keeps at <see cref="Backlog"/> or more while <paramref name="start"/>'s consumer drains it.</summary>
    private static async Task<SdkRate> WithBacklogAsync(SdkPlatform platform, SdkOptions options, Func<long> consumed, Func<string, Task<IAsyncDisposable>> start)
    {
        var topic = await platform.CreateTopicAsync("bench");
        var grain = platform.Grains.GetGrain<ITopicGrain>(topic);
        var batch = Enumerable.Range(0, TopUpBatch).Select(_ => new OutgoingMessage(null, Payload, "application/octet-stream")).ToList();
        long published = 0;
        using var stop = new CancellationTokenSource();
        var topUp = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (Interlocked.Read(ref published) - consumed() >= Backlog)
                {
                    await Task.Delay(1);
                    continue;
                }

                await grain.PublishAsync(batch);
                Interlocked.Add(ref published, batch.Count);
            }
        });
        await UntilAsync(() => Interlocked.Read(ref published) >= Backlog);
        var consumer = await start(topic);
        try
        {
            var rate = await MeasureAsync(consumed, options);
            if (rate.PerSecond == 0)
            {
                // A consumer that got nothing: say what the subscription had, for whoever reads the log.
                var stats = await platform.Admin.GetSubscriptionStatisticsAsync(topic, "bench");
                await Console.Error.WriteLineAsync($"{topic}: nothing consumed; backlog {stats.Backlog}, in flight {stats.InFlight}, published {Interlocked.Read(ref published)}, consumed {consumed()}");
            }

            return rate;
        }
        finally
        {
            await stop.CancelAsync();
            await topUp;
            await consumer.DisposeAsync();
            await platform.Admin.DeleteTopicAsync(topic);
        }
    }

    /// <summary>Messages per second in the measured window, and this process's CPU time per message (server and client together).</summary>
    private static async Task<SdkRate> MeasureAsync(Func<long> count, SdkOptions options)
    {
        await Task.Delay(options.Warmup);
        var (start, started, cpu) = (count(), System.Diagnostics.Stopwatch.GetTimestamp(), ProcessorTime());
        await Task.Delay(options.Measure);
        var (end, elapsed, cpuUsed) = (count(), System.Diagnostics.Stopwatch.GetElapsedTime(started), ProcessorTime() - cpu);
        var messages = end - start;
        return new SdkRate(messages / elapsed.TotalSeconds, messages > 0 ? cpuUsed.TotalMicroseconds / messages : double.NaN);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10);
        }
    }
}
