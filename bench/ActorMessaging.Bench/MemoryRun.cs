using System.Globalization;
using Orleans;

namespace ActorMessaging.Bench;

/// <summary>One repeat of <see cref="MemoryCommand"/>: a fresh silo, its memory before and after each step.</summary>
internal sealed record MemoryRun(double HeapPerPair, double RssPerPair, double HeapPerConsumer, double RssPerConsumer)
{
    private const int WarmupPairs = 500;
    private static readonly byte[] Payload = new byte[256];

    public static async Task<MemoryRun> MeasureAsync(int pairs, int consumers, int callers)
    {
        var folder = Directory.CreateTempSubdirectory("am-bench-memory-").FullName;
        try
        {
            await using var silo = await BenchSilo.StartAsync(BenchStore.Sqlite, $"Data Source={Path.Combine(folder, "bench.db")}", CancellationToken.None);
            // Orleans holds a local observer weakly: the run keeps it alive until its end.
            var target = new HeldDeliveries();
            var observer = silo.Grains.CreateObjectReference<IDeliveryObserver>(target);

            // Warm-up: every code path of the steps runs (and is compiled) before the baseline.
            await CreatePairsAsync(silo.Grains, "warm", WarmupPairs, callers);
            await AttachAsync(silo.Grains, "warm", WarmupPairs, observer, callers);
            var (heap0, rss0) = Settle();

            await CreatePairsAsync(silo.Grains, "t", pairs, callers);
            var (heap1, rss1) = Settle();

            await AttachAsync(silo.Grains, "t", consumers, observer, callers);
            var (heap2, rss2) = Settle();
            GC.KeepAlive(target);

            return new MemoryRun((heap1 - heap0) / (double)pairs, (rss1 - rss0) / (double)pairs, (heap2 - heap1) / (double)consumers, (rss2 - rss1) / (double)consumers);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"pair {HeapPerPair / 1024:N1} KB heap / {RssPerPair / 1024:N1} KB RSS, consumer {HeapPerConsumer / 1024:N1} KB heap / {RssPerConsumer / 1024:N1} KB RSS");

    private static Task CreatePairsAsync(IGrainFactory grains, string prefix, int count, int callers) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = callers }, async (i, _) =>
        {
            var topic = $"{prefix}-{i:D7}";
            await grains.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSettings());
            await grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, "s")).CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
            await grains.GetGrain<ITopicGrain>(topic).PublishAsync([new OutgoingMessage(null, Payload)]);
        });

    private static Task AttachAsync(IGrainFactory grains, string prefix, int count, IDeliveryObserver observer, int callers) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = callers }, async (i, _) =>
            await grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format($"{prefix}-{i:D7}", "s"))
                .AttachAsync(new ConsumerRegistration($"c-{i}", observer, 100)));

    private static (long Heap, long Rss) Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }

    /// <summary>A push target that takes deliveries and never acks them: each stays leased, as with a slow live consumer.</summary>
    private sealed class HeldDeliveries : IDeliveryObserver
    {
        public Task DeliverAsync(string topic, string subscription, string consumerId, IReadOnlyList<Delivery> deliveries) => Task.CompletedTask;
    }
}
