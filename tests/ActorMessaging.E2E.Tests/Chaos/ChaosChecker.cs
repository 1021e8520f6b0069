using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// The invariants a chaos run must keep, checked against what storage holds (read through the cluster) and what the
/// clients saw (the <see cref="ChaosLedger"/>):
/// the log is gap-free; every acknowledged id is stored once, at the sequence it was given; no sequence holds two ids;
/// every acknowledged publish is delivered at least once on every subscription; no exactly-once ack that succeeded is
/// followed by a redelivery; backlogs drain to 0; the longest publish stall and delivery gap stay within the bound.
/// </summary>
internal static class ChaosChecker
{
    private const int MaxExamples = 5;

    /// <summary>Waits (up to <paramref name="drainTimeout"/>) until every subscription has delivered everything and its backlog is 0.</summary>
    public static async Task DrainAsync(ChaosCluster cluster, ChaosLoad load, ChaosLedger ledger, TimeSpan drainTimeout)
    {
        var acked = ledger.Acked.GroupBy(a => a.Topic).ToDictionary(g => g.Key, g => g.Select(a => a.Id).ToHashSet(StringComparer.Ordinal));
        await Eventually.TrueAsync(async () =>
        {
            var delivered = ledger.Deliveries.GroupBy(d => (d.Topic, d.Subscription)).ToDictionary(g => g.Key, g => g.Select(d => d.Id).ToHashSet(StringComparer.Ordinal));
            for (var i = 0; i < load.Topics.Count; i++)
            {
                var topic = load.Topics[i];
                foreach (var subscription in ChaosLoad.SubscriptionsOf(i))
                {
                    if (acked.TryGetValue(topic, out var ids) && (!delivered.TryGetValue((topic, subscription), out var seen) || !ids.IsSubsetOf(seen)))
                    {
                        return false;
                    }

                    if (await TryAsync(() => cluster.Client.Subscription(topic, subscription).GetStatsAsync()) is not { Backlog: 0, InFlight: 0 })
                    {
                        return false;
                    }
                }
            }

            // Live subscribers: up to the topic's last acknowledged sequence, delivered or reported as a gap.
            var last = ledger.Acked.Where(a => a.Topic == load.Topics[0]).Select(a => a.Sequence).DefaultIfEmpty(0).Max();
            return ledger.Live.Keys.All(subscriber => LiveReached(ledger, subscriber) >= last);
        }, "every subscription to deliver every acknowledged publish and drain its backlog", drainTimeout);
    }

    public static async Task<ChaosResult> CheckAsync(string scenario, ChaosCluster cluster, ChaosLoad load, ChaosLedger ledger, TimeSpan faultAt, TimeSpan bound, bool drained)
    {
        var violations = new List<string>();
        if (!drained)
        {
            violations.Add("Backlogs did not drain to 0 (or acknowledged publishes were not delivered) within the drain timeout.");
        }

        var acked = ledger.Acked.ToList();
        var deliveries = ledger.Deliveries.ToList();
        int lost = 0, conflicts = 0, undelivered = 0;
        for (var i = 0; i < load.Topics.Count; i++)
        {
            var topic = load.Topics[i];
            var log = await ReadLogAsync(cluster, topic);
            var topicAcks = acked.Where(a => a.Topic == topic).ToList();
            var topicDeliveries = deliveries.Where(d => d.Topic == topic).ToList();

            // Gap-free: consecutive sequences from the first retained message to the last.
            for (var k = 1; k < log.Count; k++)
            {
                if (log[k].Sequence != log[k - 1].Sequence + 1)
                {
                    violations.Add($"{topic}: the log jumps from sequence {log[k - 1].Sequence} to {log[k].Sequence}.");
                    break;
                }
            }

            // Every id at most once in the log (publishers retry with the same id; the topic deduplicates).
            var stored = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var message in log)
            {
                if (message.MessageId is { } id && !stored.TryAdd(id, message.Sequence))
                {
                    violations.Add($"{topic}: id {id} is stored twice, at {stored[id]} and {message.Sequence}.");
                }
            }

            // No sequence acknowledged to two different ids.
            foreach (var group in topicAcks.GroupBy(a => a.Sequence).Where(g => g.Select(a => a.Id).Distinct().Count() > 1))
            {
                conflicts++;
                Example(violations, conflicts, $"{topic}: sequence {group.Key} was acknowledged to {string.Join(", ", group.Select(a => a.Id).Distinct())}.");
            }

            // Every acknowledged id is stored at its sequence; retention may have removed it only once every subscription had it.
            var firstRetained = log.Count > 0 ? log[0].Sequence : long.MaxValue;
            var deliveredAt = topicDeliveries.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Select(d => d.Sequence).ToHashSet(), StringComparer.Ordinal);
            foreach (var ack in topicAcks)
            {
                var kept = stored.TryGetValue(ack.Id, out var at)
                    ? at == ack.Sequence
                    : ack.Sequence < firstRetained && deliveredAt.TryGetValue(ack.Id, out var seen) && seen.SetEquals([ack.Sequence]);
                if (!kept)
                {
                    lost++;
                    Example(violations, lost, $"{topic}: acknowledged id {ack.Id} at sequence {ack.Sequence} is {(stored.TryGetValue(ack.Id, out var other) ? $"stored at {other}" : "not in the log")}.");
                }
            }

            foreach (var subscription in ChaosLoad.SubscriptionsOf(i))
            {
                var seen = topicDeliveries.Where(d => d.Subscription == subscription).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var ack in topicAcks.Where(a => !seen.Contains(a.Id)))
                {
                    undelivered++;
                    Example(violations, undelivered, $"{topic}/{subscription}: acknowledged id {ack.Id} (sequence {ack.Sequence}) was never delivered.");
                }
            }
        }

        // An exactly-once ack that succeeded is final: the message must not be delivered again after it.
        var firstAck = ledger.ExactlyOnceAcks.GroupBy(a => (a.Topic, a.Subscription, a.Id)).ToDictionary(g => g.Key, g => g.Min(a => a.At));
        var redeliveredAfterAck = deliveries.Where(d => firstAck.TryGetValue((d.Topic, d.Subscription, d.Id), out var ackedAt) && d.At > ackedAt).ToList();
        foreach (var delivery in redeliveredAfterAck.Take(MaxExamples))
        {
            violations.Add($"{delivery.Topic}/{delivery.Subscription}: id {delivery.Id} was delivered again (attempt {delivery.Attempt}) after its exactly-once ack succeeded.");
        }

        var liveSkipped = CheckLive(load, ledger, acked, violations);
        var redeliveries = deliveries.Count - deliveries.Select(d => (d.Topic, d.Subscription, d.Id)).Distinct().Count();
        var publishStall = acked.Count == 0 ? TimeSpan.Zero : acked.Max(a => a.Took);
        var deliveryGap = LongestGap(deliveries, faultAt, acked.Count == 0 ? faultAt : acked.Max(a => a.AckedAt));
        if (publishStall > bound)
        {
            violations.Add($"A publish took {publishStall.TotalSeconds:F1} s to be acknowledged, more than the bound of {bound.TotalSeconds:F0} s.");
        }

        if (deliveryGap > bound)
        {
            violations.Add($"A subscription received nothing for {deliveryGap.TotalSeconds:F1} s while publishes went on, more than the bound of {bound.TotalSeconds:F0} s.");
        }

        return new ChaosResult(scenario, acked.Count, lost, conflicts, undelivered, redeliveredAfterAck.Count, redeliveries, liveSkipped, publishStall, deliveryGap, bound, violations)
        {
            LongestStallTrace = acked.Count == 0 ? string.Empty : StallTrace(ledger, acked.MaxBy(a => a.Took)!),
        };
    }

    /// <summary>
    /// Live subscribers receive in order, never twice, and from their first delivery on every acknowledged sequence of
    /// their topic, except ranges they were told are gaps. Returns how many sequences they skipped silently.
    /// </summary>
    private static int CheckLive(ChaosLoad load, ChaosLedger ledger, List<AckedPublish> acked, List<string> violations)
    {
        var skipped = 0;
        var sequences = acked.Where(a => a.Topic == load.Topics[0]).Select(a => a.Sequence).Order().ToList();
        foreach (var (subscriber, queue) in ledger.Live)
        {
            var received = queue.ToList();
            for (var k = 1; k < received.Count; k++)
            {
                if (received[k] <= received[k - 1])
                {
                    violations.Add($"{subscriber}: received sequence {received[k]} after {received[k - 1]}.");
                    break;
                }
            }

            var covered = received.ToHashSet();
            var gaps = ledger.LiveGaps.Where(g => g.Subscriber == subscriber).ToList();
            var start = received.Count > 0 ? received[0] : long.MaxValue;
            foreach (var sequence in sequences.Where(s => s >= start && !covered.Contains(s) && !gaps.Any(g => s >= g.FirstMissing && s < g.NextAvailable)))
            {
                skipped++;
                Example(violations, skipped, $"{subscriber}: acknowledged sequence {sequence} of {load.Topics[0]} was neither delivered nor reported as a gap.");
            }
        }

        return skipped;
    }

    private static long LiveReached(ChaosLedger ledger, string subscriber)
    {
        var delivered = ledger.Live.TryGetValue(subscriber, out var queue) && !queue.IsEmpty ? queue.Max() : 0;
        var gapped = ledger.LiveGaps.Where(g => g.Subscriber == subscriber).Select(g => g.NextAvailable - 1).DefaultIfEmpty(0).Max();
        return Math.Max(delivered, gapped);
    }

    /// <summary>The longest time any subscription went without a first delivery of a message, between the fault and the last acknowledged publish.</summary>
    private static TimeSpan LongestGap(List<ObservedDelivery> deliveries, TimeSpan from, TimeSpan until)
    {
        var longest = TimeSpan.Zero;
        foreach (var subscription in deliveries.GroupBy(d => (d.Topic, d.Subscription)))
        {
            var times = subscription.GroupBy(d => d.Id).Select(g => g.Min(d => d.At)).Where(t => t >= from && t <= until).Order().ToList();
            var previous = from;
            foreach (var at in times.Append(until))
            {
                longest = at - previous > longest ? at - previous : longest;
                previous = at;
            }
        }

        return longest;
    }

    private static async Task<List<StoredMessage>> ReadLogAsync(ChaosCluster cluster, string topic)
    {
        var all = new List<StoredMessage>();
        var next = 1L;
        while (true)
        {
            var read = await Eventually.ValueAsync(() => TryAsync(() => cluster.Client.Topic(topic).ReadAsync(next, 1000)), r => r is not null, $"a read of {topic}'s log");
            if (read!.Messages.Count == 0)
            {
                return all;
            }

            all.AddRange(read.Messages);
            next = read.NextSequence;
        }
    }

    private static async Task<T?> TryAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The cluster may still be settling after the fault: the caller asks again.
            return null;
        }
    }

    private static void Example(List<string> violations, int count, string example)
    {
        if (count <= MaxExamples)
        {
            violations.Add(example);
        }
    }

    /// <summary>
    /// The longest stall told try by try: the id is topic/publisher/n and each publisher has its own client, whose SDK log
    /// (retries, failovers, connections) covers the stall.
    /// </summary>
    private static string StallTrace(ChaosLedger ledger, AckedPublish stalled)
    {
        var client = stalled.Id[..stalled.Id.LastIndexOf('/')];
        return $"longest stall: {stalled.Id}, {stalled.Took.TotalSeconds:F1} s from {stalled.StartedAt.TotalSeconds:F1}s; its client's log:{Environment.NewLine}"
            + ledger.ClientLogOf(client, stalled.StartedAt - TimeSpan.FromSeconds(1), stalled.AckedAt);
    }
}
