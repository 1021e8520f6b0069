using System.Collections.Concurrent;
using System.Text;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The publish crash scenario, run against one store (see <see cref="CrashTests"/>):
/// <list type="number">
/// <item>Start a silo; create a topic and a subscription at <c>earliest</c>; publish a warm-up; pull and ack its first part.</item>
/// <item>Stop the silo cleanly and start it again: grains deactivate and save, so the subscription's floor is now
/// known to be durable (acks are saved in the background and cannot be observed being saved otherwise).</item>
/// <item>Publish from several tasks while a consumer pulls and acks; SIGKILL the silo with publishes in flight.</item>
/// <item>Start the silo again on the same store and check the log, the subscription and publishing after the crash.</item>
/// </list>
/// </summary>
internal sealed class PublishCrashScenario(SiloSettings settings, ITestOutputHelper output)
{
    private const string TopicName = "crash-orders";
    private const string SubscriptionName = "audit";
    private const int WarmupMessages = 200;
    private const int AckedBeforeCleanRestart = 120;
    private const int Publishers = 8;
    private const int MaxBatch = 16;
    private const int PublishesBeforeKill = 1500;
    private const int ConsumerAcksBeforeKill = 300;
    private const int FreshAfterRestart = 50;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly CrashRun _run = new(settings, output);

    // Every message id handed to PublishAsync, and those whose publish returned successfully, with the returned sequence.
    private readonly ConcurrentDictionary<string, byte> _attempted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _acknowledged = new(StringComparer.Ordinal);

    // Sequences the consumer sent in an ack call before the crash; an ack in flight at the kill may or may not have
    // been applied (and saved), so only sequences never sent here are known to be unsettled.
    private readonly HashSet<long> _consumerAckSent = [];

    // What the subscription delivered between the clean restart and the crash: it must all be in the log afterwards.
    private readonly Dictionary<long, StoredMessage> _deliveredBeforeCrash = [];

    // Messages whose publish returned, and messages the consumer acked successfully, before the crash.
    private int _publishedBeforeKill;
    private int _consumerAcksBeforeKill;

    public Task RunAsync() => _run.RunAsync(async () =>
    {
        var durableFloor = await PrepareAndRestartCleanlyAsync();
        await PublishAndCrashAsync(durableFloor);
        await VerifyAfterCrashAsync(durableFloor);
    });

    /// <summary>Steps 1 and 2. Returns the subscription's floor after the clean restart: acks below it are durable.</summary>
    private async Task<long> PrepareAndRestartCleanlyAsync()
    {
        var first = await _run.StartSiloAsync("first start");
        await using (var client = await SiloClient.ConnectAsync(settings))
        {
            var topic = client.Topic(TopicName);
            var subscription = client.Subscription(TopicName, SubscriptionName);
            Assert.True((await topic.CreateAsync(new TopicSettings())).Created);
            Assert.True((await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest })).Created);

            for (var i = 0; i < WarmupMessages; i += 20)
            {
                await PublishAsync(topic, [.. Enumerable.Range(i, 20).Select(n => $"warmup-{n}")]);
            }

            Assert.Equal(Enumerable.Range(1, WarmupMessages).Select(n => (long)n), _acknowledged.Values.Order());

            var deliveries = new List<Delivery>();
            await Eventually.TrueAsync(async () =>
            {
                deliveries.AddRange(await subscription.PullAsync(AckedBeforeCleanRestart - deliveries.Count, TimeSpan.FromSeconds(1)));
                return deliveries.Count == AckedBeforeCleanRestart;
            }, $"{AckedBeforeCleanRestart} deliveries", StepTimeout);
            Assert.Equal(Enumerable.Range(1, AckedBeforeCleanRestart).Select(n => (long)n), deliveries.Select(d => d.Message.Sequence));
            Assert.True((await subscription.AckAsync([.. deliveries.Select(d => d.AckId)])).AllSucceeded);
            _consumerAckSent.UnionWith(deliveries.Select(d => d.Message.Sequence));
            await Eventually.TrueAsync(async () => (await subscription.GetStatsAsync()).AckFloor == AckedBeforeCleanRestart + 1,
                $"the ack floor to reach {AckedBeforeCleanRestart + 1}", StepTimeout);
        }

        var exitCode = await first.StopAsync();
        _run.Log($"clean stop: exit code {exitCode}");

        await _run.StartSiloAsync("after the clean restart");
        await using (var client = await SiloClient.ConnectAsync(settings))
        {
            var stats = await client.Subscription(TopicName, SubscriptionName).GetStatsAsync();
            Assert.True(stats.AckFloor == AckedBeforeCleanRestart + 1,
                $"A clean shutdown must keep the acks of the subscription: floor {stats.AckFloor} after the restart, {AckedBeforeCleanRestart + 1} before.");
            Assert.Equal(WarmupMessages, (await client.Topic(TopicName).GetAsync()).LastSequence);
            return stats.AckFloor;
        }
    }

    /// <summary>Step 3: concurrent publishers and one consumer; SIGKILL while they run.</summary>
    private async Task PublishAndCrashAsync(long durableFloor)
    {
        var client = await SiloClient.ConnectAsync(settings);
        var loops = Enumerable.Range(0, Publishers)
            .Select(p => (Func<CrashLoad, Task>)(load => PublishLoopAsync(client.Topic(TopicName), p, load)))
            .Append(load => ConsumeLoopAsync(client.Subscription(TopicName, SubscriptionName), load))
            .ToList();
        var callsInFlight = await _run.KillDuringAsync(
            loops,
            () => Volatile.Read(ref _publishedBeforeKill) >= PublishesBeforeKill && Volatile.Read(ref _consumerAcksBeforeKill) >= ConsumerAcksBeforeKill,
            $"{PublishesBeforeKill} acknowledged publishes and {ConsumerAcksBeforeKill} acks",
            StepTimeout);
        _run.Log($"{Volatile.Read(ref _publishedBeforeKill)} publishes acknowledged, {Volatile.Read(ref _consumerAcksBeforeKill)} consumer acks");
        Assert.True(callsInFlight > 0, "The kill should hit publishes in flight.");
        await client.DisposeAsync();

        // Before the crash: sequences unique per acknowledged publish, and the subscription resumed at its durable floor.
        var duplicates = _acknowledged.GroupBy(p => p.Value).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(p => p.Key))}").ToList();
        Assert.True(duplicates.Count == 0, $"Two acknowledged publishes got the same sequence: {string.Join("; ", duplicates.Take(10))}");
        Assert.Equal(durableFloor, _deliveredBeforeCrash.Keys.Min());
    }

    /// <summary>Step 4: restart on the same store and check what survived.</summary>
    private async Task VerifyAfterCrashAsync(long durableFloor)
    {
        await _run.StartSiloAsync("after the crash");
        await using var client = await SiloClient.ConnectAsync(settings);
        var topic = client.Topic(TopicName);
        var subscription = client.Subscription(TopicName, SubscriptionName);

        var log = await ReadLogAsync(topic, fromSequence: 1);
        var last = (long)log.Count;
        var unknown = _attempted.Keys.Where(id => !_acknowledged.ContainsKey(id)).ToHashSet(StringComparer.Ordinal);
        var sequenceOf = CheckLog(log);
        _run.Log($"log after the crash: {last} messages; {_acknowledged.Count} acknowledged, {unknown.Count} unacknowledged attempts of which {unknown.Count(sequenceOf.ContainsKey)} stored");
        Assert.Equal(last, (await topic.GetAsync()).LastSequence);

        await CheckSubscriptionResumesAsync(subscription, log, durableFloor);
        await CheckPublishingContinuesAsync(topic, subscription, unknown, sequenceOf, last);
    }

    /// <summary>
    /// The log holds sequences 1..N with no gap, every message once, each acknowledged publish at exactly the
    /// sequence its publish returned, nothing that was never published, and everything delivered before the crash.
    /// Returns message id → sequence.
    /// </summary>
    private Dictionary<string, long> CheckLog(List<StoredMessage> log)
    {
        var problems = new List<string>();
        var sequenceOf = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var message in log)
        {
            if (message.MessageId is not { } id || !_attempted.ContainsKey(id))
            {
                problems.Add($"sequence {message.Sequence} holds '{message.MessageId}', which was never published");
            }
            else if (!sequenceOf.TryAdd(id, message.Sequence))
            {
                problems.Add($"'{id}' is stored twice, at {sequenceOf[id]} and {message.Sequence}");
            }
            else if (!message.Data.Span.SequenceEqual(Encoding.UTF8.GetBytes(id)))
            {
                problems.Add($"sequence {message.Sequence} ('{id}') has a corrupt payload");
            }
        }

        foreach (var (sequence, message) in _deliveredBeforeCrash)
        {
            if (sequence > log.Count || log[(int)sequence - 1].MessageId != message.MessageId)
            {
                problems.Add($"'{message.MessageId}' was delivered at {sequence} before the crash but the log does not hold it there");
            }
        }

        foreach (var (id, sequence) in _acknowledged)
        {
            if (!sequenceOf.TryGetValue(id, out var stored))
            {
                problems.Add($"acknowledged '{id}' (sequence {sequence}) is lost");
            }
            else if (stored != sequence)
            {
                problems.Add($"acknowledged '{id}' was returned sequence {sequence} but is stored at {stored}");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems in the log after the crash, e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
        return sequenceOf;
    }

    /// <summary>
    /// The subscription restarts at a floor between its durable floor (from the clean restart) and the first
    /// sequence it had not acked, so nothing acked durably comes back and nothing unacked is skipped; it then
    /// delivers every stored message from that floor on that it had not acked, each as stored in the log.
    /// </summary>
    private async Task CheckSubscriptionResumesAsync(ISubscriptionGrain subscription, List<StoredMessage> log, long durableFloor)
    {
        var last = (long)log.Count;
        var firstUnacked = 1L;
        while (_consumerAckSent.Contains(firstUnacked))
        {
            firstUnacked++;
        }

        var floor = (await subscription.GetStatsAsync()).AckFloor;
        _run.Log($"subscription after the crash: floor {floor} (durable floor {durableFloor}, first sequence not acked {firstUnacked})");
        Assert.True(floor >= durableFloor, $"Acks saved before the crash were lost: floor {floor} < {durableFloor}.");
        Assert.True(floor <= firstUnacked, $"The subscription skipped unacked messages: floor {floor} > first unacked {firstUnacked}.");

        var missing = new SortedSet<long>(Enumerable.Range((int)floor, (int)(last - floor + 1)).Select(s => (long)s).Where(s => !_consumerAckSent.Contains(s)));
        var redelivered = new HashSet<long>();
        var problems = new List<string>();
        SubscriptionStats? stats = null;
        var resumed = Eventually.TrueAsync(async () =>
        {
            var deliveries = await subscription.PullAsync(1000, TimeSpan.FromMilliseconds(500));
            foreach (var delivery in deliveries)
            {
                var sequence = delivery.Message.Sequence;
                if (sequence < floor)
                {
                    problems.Add($"{sequence} delivered again below the floor {floor}");
                }
                else if (sequence > last || log[(int)sequence - 1].MessageId != delivery.Message.MessageId)
                {
                    problems.Add($"{sequence} delivered as '{delivery.Message.MessageId}', which the log does not hold there");
                }
                else if (!redelivered.Add(sequence))
                {
                    problems.Add($"{sequence} delivered twice after the restart");
                }

                missing.Remove(sequence);
            }

            if (deliveries.Count > 0)
            {
                var acked = await subscription.AckAsync([.. deliveries.Select(d => d.AckId)]);
                Assert.True(acked.AllSucceeded, $"Acks after the restart failed: {string.Join("; ", acked.Failures.Take(5))}");
            }

            stats = await subscription.GetStatsAsync();
            return missing.Count == 0 && stats.Backlog == 0 && stats.InFlight == 0;
        }, "the subscription to deliver everything it had not acked", StepTimeout);
        try
        {
            await resumed;
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} Never delivered: {string.Join(", ", missing.Take(20))} ({missing.Count} in all); last stats {stats}.", exception);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(20)));
        Assert.Equal(last + 1, (await subscription.GetStatsAsync()).AckFloor);
        _run.Log($"subscription delivered {redelivered.Count} messages after the crash, {redelivered.Count(_consumerAckSent.Contains)} of them acked before it");
    }

    /// <summary>
    /// Retrying the unacknowledged ids returns the stored sequence for those that made it and stores the others
    /// once; new messages continue the log right after its last sequence, and the subscription gets them.
    /// </summary>
    private static async Task CheckPublishingContinuesAsync(ITopicGrain topic, ISubscriptionGrain subscription, HashSet<string> unknown, Dictionary<string, long> sequenceOf, long last)
    {
        var ids = unknown.Order(StringComparer.Ordinal).Concat(Enumerable.Range(0, FreshAfterRestart).Select(n => $"after-{n}")).ToList();
        var next = last + 1;
        var expected = new List<PublishOutcome>();
        var newIds = new List<string>();
        foreach (var id in ids)
        {
            if (sequenceOf.TryGetValue(id, out var stored))
            {
                expected.Add(new PublishOutcome(stored, Duplicate: true));
            }
            else
            {
                expected.Add(new PublishOutcome(next++, Duplicate: false));
                newIds.Add(id);
            }
        }

        var outcomes = new List<PublishOutcome>();
        foreach (var chunk in ids.Chunk(500))
        {
            var result = await topic.PublishAsync([.. chunk.Select(Message)]);
            outcomes.AddRange(result.Outcomes);
        }

        Assert.Equal(expected, outcomes);
        Assert.Equal(newIds, (await ReadLogAsync(topic, last + 1)).Select(m => m.MessageId));

        var received = new List<long>();
        await Eventually.TrueAsync(async () =>
        {
            var deliveries = await subscription.PullAsync(1000, TimeSpan.FromMilliseconds(500));
            received.AddRange(deliveries.Select(d => d.Message.Sequence));
            if (deliveries.Count > 0)
            {
                Assert.True((await subscription.AckAsync([.. deliveries.Select(d => d.AckId)])).AllSucceeded);
            }

            return received.Count >= newIds.Count;
        }, $"the subscription to deliver the {newIds.Count} messages published after the crash", StepTimeout);
        Assert.Equal(Enumerable.Range((int)last + 1, newIds.Count).Select(s => (long)s), received.Order());
    }

    /// <summary>Publishes until the kill; a publish the kill interrupted leaves its ids attempted but not acknowledged.</summary>
    private async Task PublishLoopAsync(ITopicGrain topic, int publisher, CrashLoad load)
    {
        var random = new Random(publisher);
        var number = 0;
        for (var call = 0; !load.Stopping.IsCancellationRequested; call++)
        {
            // Single messages and batches alternate: both paths go through the same group commit.
            var size = call % 2 == 0 ? 1 : random.Next(2, MaxBatch + 1);
            var ids = Enumerable.Range(0, size).Select(_ => $"p{publisher}-{number++}").ToArray();
            if (!await load.CallAsync(stopping => PublishAsync(topic, ids, stopping)))
            {
                return;
            }

            Interlocked.Add(ref _publishedBeforeKill, size);
        }
    }

    private async Task ConsumeLoopAsync(ISubscriptionGrain subscription, CrashLoad load)
    {
        while (!load.Stopping.IsCancellationRequested)
        {
            IReadOnlyList<Delivery> deliveries = [];
            SettleResult? result = null;
            var completed = await load.CallAsync(async stopping =>
            {
                deliveries = await subscription.PullAsync(250, TimeSpan.FromSeconds(1)).WaitAsync(stopping);
                foreach (var delivery in deliveries)
                {
                    Assert.True(_deliveredBeforeCrash.TryAdd(delivery.Message.Sequence, delivery.Message), $"Sequence {delivery.Message.Sequence} was delivered twice before the crash.");
                }

                if (deliveries.Count > 0)
                {
                    _consumerAckSent.UnionWith(deliveries.Select(d => d.Message.Sequence));
                    result = await subscription.AckAsync([.. deliveries.Select(d => d.AckId)]).WaitAsync(stopping);
                }
            }, counted: false);
            if (!completed)
            {
                return;
            }

            if (result is not null)
            {
                // Before the crash every ack applies: leases last 30 s and nothing else settles these messages.
                Assert.True(result.AllSucceeded, $"Acks failed before the crash: {string.Join("; ", result.Failures.Take(5))}");
                Interlocked.Add(ref _consumerAcksBeforeKill, deliveries.Count);
            }
        }
    }

    /// <summary>Publishes ids as messages (payload: the id) and records each returned sequence as acknowledged.</summary>
    private async Task PublishAsync(ITopicGrain topic, string[] ids, CancellationToken cancellationToken = default)
    {
        foreach (var id in ids)
        {
            _attempted.TryAdd(id, 0);
        }

        var result = await topic.PublishAsync([.. ids.Select(Message)]).WaitAsync(cancellationToken);
        Assert.Equal(ids.Length, result.Outcomes.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.False(result.Outcomes[i].Duplicate, $"'{ids[i]}' was published once but reported as a duplicate.");
            Assert.True(_acknowledged.TryAdd(ids[i], result.Outcomes[i].Sequence));
        }
    }

    /// <summary>Reads the log from <paramref name="fromSequence"/> to its end, checking that sequences have no gap.</summary>
    private static async Task<List<StoredMessage>> ReadLogAsync(ITopicGrain topic, long fromSequence)
    {
        var messages = new List<StoredMessage>();
        var next = fromSequence;
        while (true)
        {
            var read = await topic.ReadAsync(next, 1000);
            foreach (var message in read.Messages)
            {
                Assert.True(message.Sequence == next, $"The log skips from {next - 1} to {message.Sequence}.");
                messages.Add(message);
                next++;
            }

            if (read.Messages.Count == 0)
            {
                Assert.True(next == read.LastSequence + 1, $"Reading stopped at {next} but the log ends at {read.LastSequence}.");
                return messages;
            }
        }
    }

    private static OutgoingMessage Message(string id) => new(id, Encoding.UTF8.GetBytes(id));
}
