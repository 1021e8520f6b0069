using System.Diagnostics;

namespace ActorMessaging.Bench;

/// <summary>
/// Runs one <see cref="SemanticsCell"/>: publishers (batches of 100) flat out into a fresh topic while pullers on
/// each subscription pull and ack, for a warm-up and then a measured window.
/// </summary>
internal static class SemanticsLoad
{
    private const int Batch = 100;
    private const int PullersPerSubscription = 2;

    public sealed record Outcome(double PublishedPerSecond, double DeliveredPerSecond, long Backlog);

    public static async Task<Outcome> RunAsync(IGrainFactory grains, SemanticsCell cell, SemanticsCommand.Options options, PayloadPool payloads)
    {
        var topicName = $"sem-{Guid.NewGuid():N}";
        var topic = grains.GetGrain<ITopicGrain>(topicName);
        await topic.CreateAsync(cell.Topic ?? new TopicSettings());
        var subscriptions = new List<ISubscriptionGrain>();
        for (var s = 0; s < options.Subscriptions; s++)
        {
            var subscription = grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topicName, $"s{s}"));
            await subscription.CreateAsync(cell.Settings);
            subscriptions.Add(subscription);
        }

        long published = 0, delivered = 0, next = 0;
        using var stop = new CancellationTokenSource();
        var pullers = subscriptions.SelectMany(s => Enumerable.Range(0, PullersPerSubscription).Select(_ => PullLoopAsync(s))).ToList();
        var publishers = Enumerable.Range(0, options.Publishers).Select(_ => PublishLoopAsync()).ToList();

        await Task.Delay(options.Warmup);
        var (publishedAtStart, deliveredAtStart) = (Interlocked.Read(ref published), Interlocked.Read(ref delivered));
        var clock = Stopwatch.StartNew();
        await Task.Delay(options.Measure);
        var (publishedAtEnd, deliveredAtEnd) = (Interlocked.Read(ref published), Interlocked.Read(ref delivered));
        var seconds = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(publishers.Concat(pullers));
        long backlog = 0;
        foreach (var subscription in subscriptions)
        {
            backlog += (await subscription.GetStatsAsync()).Backlog;
        }

        await topic.DeleteAsync();
        return new Outcome((publishedAtEnd - publishedAtStart) / seconds, (deliveredAtEnd - deliveredAtStart) / seconds, backlog);

        async Task PublishLoopAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = new OutgoingMessage[Batch];
                for (var i = 0; i < Batch; i++)
                {
                    var index = Interlocked.Increment(ref next);
                    batch[i] = cell.Message(index, payloads.Get(index));
                }

                await topic.PublishAsync(batch);
                Interlocked.Add(ref published, Batch);
            }
        }

        async Task PullLoopAsync(ISubscriptionGrain subscription)
        {
            while (!stop.IsCancellationRequested)
            {
                var deliveries = await subscription.PullAsync(500, TimeSpan.FromSeconds(1));
                if (deliveries.Count == 0)
                {
                    continue;
                }

                await subscription.AckAsync([.. deliveries.Select(d => d.AckId)]);
                Interlocked.Add(ref delivered, deliveries.Count);
            }
        }
    }
}
