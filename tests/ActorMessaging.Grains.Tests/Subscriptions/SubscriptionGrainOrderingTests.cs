namespace ActorMessaging.Grains.Tests.Subscriptions;

[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainOrderingTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription)> NewAsync(SubscriptionSettings? settings = null)
    {
        var name = ClusterFixture.NewName("o");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(settings ?? new SubscriptionSettings { StartAt = StartPosition.Earliest });
        return (topic, subscription);
    }

    private static OutgoingMessage Keyed(string text, string? key) => TestMessages.Text(text) with { OrderingKey = key };

    [Fact]
    public async Task SameKey_IsDeliveredOneAtATime_NextOnlyAfterAck()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([Keyed("a1", "a"), Keyed("a2", "a"), Keyed("b1", "b"), Keyed("a3", "a"), Keyed("x", null), Keyed("y", null)]);

        var first = await subscription.PullAsync(10, NoWait);
        var blocked = await subscription.PullAsync(10, NoWait);
        await subscription.AckAsync([first.Single(d => d.Message.OrderingKey == "a").AckId]);
        var second = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["a1", "b1", "x", "y"], first.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Empty(blocked);
        Assert.Equal(["a2"], second.Select(d => TestMessages.TextOf(d.Message)));
    }

    [Fact]
    public async Task NackedHead_BlocksItsKeyUntilRedeliveredAndAcked_OtherKeysFlow()
    {
        var (topic, subscription) = await NewAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest, MinBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromSeconds(5) });
        await topic.PublishAsync([Keyed("a1", "a"), Keyed("a2", "a"), Keyed("b1", "b"), Keyed("b2", "b")]);
        var first = await subscription.PullAsync(10, NoWait);
        var a1 = first.Single(d => d.Message.OrderingKey == "a");
        var b1 = first.Single(d => d.Message.OrderingKey == "b");

        await subscription.NackAsync([a1.AckId], delay: null);
        await subscription.AckAsync([b1.AckId]);
        var whileBackingOff = await subscription.PullAsync(10, NoWait);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var retried = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["b2"], whileBackingOff.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(["a1"], retried.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(2, retried[0].DeliveryAttempt);
    }

    [Fact]
    public async Task DeadLetteredHead_ReleasesTheNextOfItsKey()
    {
        var (topic, subscription) = await NewAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest, MaxDeliveryAttempts = 1 });
        await topic.PublishAsync([Keyed("a1", "a"), Keyed("a2", "a")]);
        var head = Assert.Single(await subscription.PullAsync(10, NoWait));

        await subscription.NackAsync([head.AckId], TimeSpan.Zero);
        var next = await Eventually.ValueAsync(() => subscription.PullAsync(10, NoWait), d => d.Count > 0, "the next message of the key after the head was dead-lettered");

        Assert.Equal(["a2"], next.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(1, (await subscription.GetStatsAsync()).DeadLettered);
    }

    [Fact]
    public async Task Order_SurvivesDeactivation()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([Keyed("a1", "a"), Keyed("a2", "a"), Keyed("a3", "a")]);
        var head = Assert.Single(await subscription.PullAsync(10, NoWait));
        await subscription.AckAsync([head.AckId]);
        Assert.Equal(["a2"], (await subscription.PullAsync(10, NoWait)).Select(d => TestMessages.TextOf(d.Message)));

        await fixture.Cluster.DeactivateAsync(subscription);
        var again = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["a2"], again.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(2, again[0].DeliveryAttempt);
    }

    /// <summary>
    /// Property: with random keys, competing pullers, random acks, nacks and abandoned leases that expire,
    /// a message is only ever delivered when every earlier message of its key is already acked, and in the
    /// end every message is acked exactly once in per-key publish order.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Property_PerKeyOrderIsNeverViolated(int seed)
    {
        var random = new Random(seed);
        var (topic, subscription) = await NewAsync(new SubscriptionSettings
        {
            StartAt = StartPosition.Earliest,
            AckDeadline = TimeSpan.FromSeconds(10),
            MinBackoff = TimeSpan.Zero,
            MaxBackoff = TimeSpan.FromSeconds(2),
            DeadLettering = false,
        });
        var keys = new[] { "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", null };
        var messages = Enumerable.Range(0, 300).Select(i => Keyed($"m{i}", keys[random.Next(keys.Length)])).ToList();
        foreach (var batch in messages.Chunk(37))
        {
            await topic.PublishAsync(batch);
        }

        var keyOf = new Dictionary<long, string?>();
        var acked = new HashSet<long>();
        var ackOrder = new Dictionary<string, List<long>>();
        var held = new List<Delivery>[3] { [], [], [] };
        var steps = 0;
        while (acked.Count < messages.Count)
        {
            Assert.True(++steps < 5000, $"stuck with {acked.Count} of {messages.Count} acked");
            var puller = random.Next(held.Length);
            foreach (var delivery in await subscription.PullAsync(random.Next(1, 20), NoWait))
            {
                var message = delivery.Message;
                keyOf[message.Sequence] = message.OrderingKey;
                if (message.OrderingKey is { } key)
                {
                    var earlierUnacked = keyOf.Where(e => e.Value == key && e.Key < message.Sequence && !acked.Contains(e.Key)).Select(e => e.Key).ToList();
                    Assert.True(earlierUnacked.Count == 0, $"seq {message.Sequence} of key {key} delivered while {string.Join(",", earlierUnacked)} unacked");
                    // One at a time: no other unacked message of the key is out (a held copy may be stale: its lease expired and it was redelivered).
                    Assert.DoesNotContain(held.SelectMany(h => h), d => d.Message.OrderingKey == key && d.Message.Sequence != message.Sequence && !acked.Contains(d.Message.Sequence));
                }

                held[puller].Add(delivery);
            }

            // Each puller settles what it holds: mostly acks, some nacks, some abandoned to expire.
            var settling = held[random.Next(held.Length)];
            foreach (var delivery in settling.ToList())
            {
                var roll = random.NextDouble();
                if (roll < 0.6)
                {
                    var result = await subscription.AckAsync([delivery.AckId]);
                    if (result.AllSucceeded)
                    {
                        Assert.True(acked.Add(delivery.Message.Sequence), $"seq {delivery.Message.Sequence} acked twice");
                        if (delivery.Message.OrderingKey is { } key)
                        {
                            (ackOrder.TryGetValue(key, out var list) ? list : ackOrder[key] = []).Add(delivery.Message.Sequence);
                        }
                    }
                }
                else if (roll < 0.8)
                {
                    await subscription.NackAsync([delivery.AckId], random.Next(2) == 0 ? TimeSpan.Zero : null);
                }

                // Otherwise abandoned: its lease runs out when time moves past the deadline.
                settling.Remove(delivery);
            }

            fixture.Time.Advance(TimeSpan.FromSeconds(random.Next(0, 4)));
        }

        Assert.All(ackOrder.Values, sequences => Assert.Equal(sequences.Order(), sequences));
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }
}
