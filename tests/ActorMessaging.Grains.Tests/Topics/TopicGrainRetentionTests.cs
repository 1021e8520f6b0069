using ActorMessaging.Grains.Topics;

namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>
/// Retention by age and, with <see cref="TopicSettings.RetainAckedMessages"/> false, by acks. Chunks are counted in
/// the log store itself (<see cref="CountingGrainStorage.CountStored"/>), not taken from what the topic reports.
/// A retention pass runs after a commit at most every 30 s of broker time, or after 32 new chunks when acked
/// messages go; tests move the fake clock past that and publish to start one.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicGrainRetentionTests(ClusterFixture fixture)
{
    private static readonly TopicSettings DeleteAcked = new() { RetainAckedMessages = false };

    private async Task<(ITopicGrain Topic, string Name)> NewTopicAsync(TopicSettings settings)
    {
        var name = ClusterFixture.NewName("ret");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(settings);
        return (topic, name);
    }

    private async Task<ISubscriptionGrain> NewSubscriptionAsync(string topic, string name, SubscriptionSettings? settings = null)
    {
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, name));
        await subscription.CreateAsync(settings ?? new SubscriptionSettings { StartAt = StartPosition.Earliest });
        return subscription;
    }

    private int StoredChunks(string topic) => fixture.LogStorage.CountStored($"{topic}/");

    private static async Task PublishChunksAsync(ITopicGrain topic, int chunks, string prefix = "m")
    {
        // One publish at a time: each is its own group commit, so its own chunk.
        for (var i = 0; i < chunks; i++)
        {
            await topic.PublishAsync([TestMessages.Text($"{prefix}{i}")]);
        }
    }

    /// <summary>Moves broker time past every pacing interval and publishes, which starts a retention pass.</summary>
    private async Task NextPassAsync(ITopicGrain topic, string text = "tick")
    {
        fixture.Time.Advance(SubscriptionFloors.MaxAskInterval + TimeSpan.FromSeconds(1));
        await topic.PublishAsync([TestMessages.Text(text)]);
    }

    [Fact]
    public async Task Retention_DeletesChunksOlderThanTheTopicKeepsThem_AndReadsSkipToWhatIsLeft()
    {
        var (topic, _) = await NewTopicAsync(new TopicSettings { Retention = TimeSpan.FromMinutes(1) });
        await topic.PublishAsync(TestMessages.Many(3, "old"));
        await topic.PublishAsync(TestMessages.Many(2, "older"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await topic.PublishAsync([TestMessages.Text("fresh")]);

        var position = await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 6, "expired chunks to be deleted");
        Assert.Equal(7, position.NextSequence);
        var read = await topic.ReadAsync(1, 10);
        Assert.Equal(["fresh"], read.Messages.Select(TestMessages.TextOf));
        Assert.Equal(6, (await topic.GetAsync()).LastSequence);

        await fixture.Cluster.DeactivateAsync(topic);
        Assert.Equal(new TopicPosition(6, 7), await topic.GetPositionAsync());
        Assert.Equal(7, (await topic.PublishAsync([TestMessages.Text("after reload")])).Outcomes.Single().Sequence);
    }

    [Fact]
    public async Task Retention_SubscriptionBehindTheLog_SkipsWhatRetentionRemoved()
    {
        var (topic, name) = await NewTopicAsync(new TopicSettings { Retention = TimeSpan.FromMinutes(1) });
        var subscription = await NewSubscriptionAsync(name, "slow");
        await topic.PublishAsync(TestMessages.Many(3, "expired"));

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await topic.PublishAsync([TestMessages.Text("kept")]);
        await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 4, "expired chunks to be deleted");

        var deliveries = await subscription.PullAsync(10, TimeSpan.Zero);
        Assert.Equal(["kept"], deliveries.Select(d => TestMessages.TextOf(d.Message)));
        await subscription.AckAsync([deliveries[0].AckId]);
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task RetainAckedFalse_DeletesChunksEverySubscriptionAcked_RetainAckedTrueKeepsThem()
    {
        var (keeping, keepingName) = await NewTopicAsync(new TopicSettings());
        var (deleting, deletingName) = await NewTopicAsync(DeleteAcked);
        var keepingSubscription = await NewSubscriptionAsync(keepingName, "s");
        var deletingSubscription = await NewSubscriptionAsync(deletingName, "s");
        await PublishChunksAsync(keeping, 5);
        await PublishChunksAsync(deleting, 5);
        Assert.Equal(5, (await Pulls.DrainAsync(keepingSubscription)).Length);
        Assert.Equal(5, (await Pulls.DrainAsync(deletingSubscription)).Length);

        await NextPassAsync(keeping);
        await NextPassAsync(deleting);

        // Only the unacked newest chunk is left; the topic reports the same bounds, across a reload too.
        await Eventually.TrueAsync(() => StoredChunks(deletingName) == 1, "acked chunks to be deleted");
        Assert.Equal(new TopicPosition(6, 7), await deleting.GetPositionAsync());
        await fixture.Cluster.DeactivateAsync(deleting);
        Assert.Equal(new TopicPosition(6, 7), await deleting.GetPositionAsync());
        Assert.Equal(7, (await deleting.PublishAsync([TestMessages.Text("after reload")])).Outcomes.Single().Sequence);
        Assert.Equal(["tick", "after reload"], await Pulls.DrainAsync(deletingSubscription));

        // The topic that keeps acked messages ran the same passes and deleted nothing.
        Assert.Equal(6, StoredChunks(keepingName));
        Assert.Equal(1, (await keeping.GetPositionAsync()).FirstSequence);
        Assert.True((await keeping.GetAsync()).Settings.RetainAckedMessages);
        Assert.False((await deleting.GetAsync()).Settings.RetainAckedMessages);
    }

    [Fact]
    public async Task OneSlowSubscription_HoldsChunksForEveryone_UntilItAcks()
    {
        var (topic, name) = await NewTopicAsync(DeleteAcked);
        var fast = await NewSubscriptionAsync(name, "fast");
        var slow = await NewSubscriptionAsync(name, "slow");
        await PublishChunksAsync(topic, 10);
        Assert.Equal(10, (await Pulls.DrainAsync(fast)).Length);
        await NextPassAsync(topic);

        // The slow one acks the first five: exactly those chunks may go, the fast one's acks notwithstanding.
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], await Pulls.DrainAsync(slow, max: 5));
        await NextPassAsync(topic, "tick2");
        await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 6, "chunks the slow subscription acked to be deleted");
        Assert.Equal(7, StoredChunks(name));

        var rest = await Pulls.DrainAsync(slow);
        Assert.Equal(["m5", "m6", "m7", "m8", "m9", "tick", "tick2"], rest);
        Assert.Equal(["tick", "tick2"], await Pulls.DrainAsync(fast));
        await NextPassAsync(topic, "tick3");
        await Eventually.TrueAsync(() => StoredChunks(name) == 1, "every acked chunk to be deleted");
    }

    [Fact]
    public async Task UnackedAndScheduledMessages_SurviveInTheLog_AndAreDeliveredLater()
    {
        var (topic, name) = await NewTopicAsync(DeleteAcked);
        var subscription = await NewSubscriptionAsync(name, "s");
        var later = fixture.Time.GetUtcNow().AddHours(1);
        await topic.PublishAsync([TestMessages.Text("later") with { DeliverAt = later }]);
        await topic.PublishAsync([TestMessages.Text("unacked")]);
        await PublishChunksAsync(topic, 5);
        Assert.Equal(["unacked", "m0", "m1", "m2", "m3", "m4"], await Pulls.DrainAsync(subscription, ack: d => TestMessages.TextOf(d.Message) != "unacked"));

        await NextPassAsync(topic);
        await NextPassAsync(topic, "tick2");

        // A reloaded subscription has nothing in memory: what it delivers now comes from the log.
        await fixture.Cluster.DeactivateAsync(subscription);
        Assert.Equal(7 + 2, StoredChunks(name));
        Assert.Equal(["unacked", "tick", "tick2"], await Pulls.DrainAsync(subscription));
        fixture.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["later"], await Pulls.DrainAsync(subscription));

        await NextPassAsync(topic, "tick3");
        await Eventually.TrueAsync(() => StoredChunks(name) == 1, "chunks to go once the held messages are acked");
    }

    [Fact]
    public async Task TopicWithoutSubscriptions_KeepsNothing_AndContinuesItsSequenceAfterAReload()
    {
        var (topic, name) = await NewTopicAsync(DeleteAcked);
        await PublishChunksAsync(topic, 40);
        await NextPassAsync(topic);

        await Eventually.TrueAsync(() => StoredChunks(name) == 0, "every chunk to be deleted");
        Assert.Equal(new TopicPosition(42, 42), await topic.GetPositionAsync());

        // Head recovery must not lose the sequence with every chunk gone.
        await fixture.Cluster.DeactivateAsync(topic);
        Assert.Equal(new TopicPosition(42, 42), await topic.GetPositionAsync());
        Assert.Equal(42, (await topic.PublishAsync([TestMessages.Text("next")])).Outcomes.Single().Sequence);
    }

    [Fact]
    public async Task DeadLetters_KeepTheirMessage_AfterItsChunkIsDeleted_AndResubmitDeliversIt()
    {
        var (topic, name) = await NewTopicAsync(DeleteAcked);
        var subscription = await NewSubscriptionAsync(name, "s", new SubscriptionSettings { StartAt = StartPosition.Earliest, MaxDeliveryAttempts = 1 });
        await topic.PublishAsync([TestMessages.Text("poison")]);
        await PublishChunksAsync(topic, 3);
        var deliveries = await subscription.PullAsync(10, TimeSpan.Zero);
        await subscription.RejectAsync([deliveries[0].AckId]);
        await subscription.AckAsync([.. deliveries.Skip(1).Select(d => d.AckId)]);
        await Eventually.TrueAsync(async () => (await subscription.ListDeadLettersAsync(10, null)).Items.Count == 1, "the dead letter to be stored");

        await NextPassAsync(topic);
        await Eventually.TrueAsync(() => StoredChunks(name) == 1, "the dead-lettered message's chunk to be deleted");

        await fixture.Cluster.DeactivateAsync(subscription);
        var letter = Assert.Single((await subscription.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal("poison", TestMessages.TextOf(letter.Message));
        Assert.Equal(1, await subscription.ResubmitDeadLettersAsync(null));
        Assert.Contains("poison", await Pulls.DrainAsync(subscription));
    }

    [Fact]
    public async Task FilteredOutMessages_DoNotHoldChunks_ForASubscriptionWithoutConsumers()
    {
        var (topic, name) = await NewTopicAsync(DeleteAcked);
        var subscription = await NewSubscriptionAsync(name, "reds", new SubscriptionSettings { StartAt = StartPosition.Earliest, Filter = "color = 'red'" });
        var blue = new Dictionary<string, string> { ["color"] = "blue" };
        for (var i = 0; i < 5; i++)
        {
            await topic.PublishAsync([TestMessages.Text($"blue{i}", attributes: blue)]);
        }

        await topic.PublishAsync([TestMessages.Text("red", attributes: new Dictionary<string, string> { ["color"] = "red" })]);
        await NextPassAsync(topic, "tick");

        // Only the red message (unacked) and what follows it stay.
        await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 6, "filtered-out chunks to be deleted");
        Assert.Equal(2, StoredChunks(name));
        Assert.Equal(["red"], await Pulls.DrainAsync(subscription));
    }

    [Fact]
    public async Task MessageIdsInsideTheDedupWindow_StayStored_SoDuplicatesAreCaughtAfterAReload()
    {
        var (topic, name) = await NewTopicAsync(DeleteAcked with { DedupWindow = TimeSpan.FromMinutes(10) });
        var subscription = await NewSubscriptionAsync(name, "s");
        await topic.PublishAsync([TestMessages.Text("order", id: "order-1")]);
        Assert.Equal(["order"], await Pulls.DrainAsync(subscription));

        await NextPassAsync(topic);
        Assert.Equal(["tick"], await Pulls.DrainAsync(subscription));
        await fixture.Cluster.DeactivateAsync(topic);
        var retry = await topic.PublishAsync([TestMessages.Text("order", id: "order-1")]);
        Assert.True(retry.Outcomes.Single().Duplicate);
        Assert.Equal(1, (await topic.GetPositionAsync()).FirstSequence);

        // Past the window the id is no longer needed, and the chunk goes like any other acked one.
        fixture.Time.Advance(TimeSpan.FromMinutes(10));
        await NextPassAsync(topic, "tick2");
        await Eventually.TrueAsync(() => StoredChunks(name) == 1, "chunks past the dedup window to be deleted");
    }

    [Fact]
    public async Task Storage_StaysBounded_WhenFarMoreIsPublishedAndAckedThanItHolds_RetainAckedFalse()
    {
        const int Rounds = 400;
        const int Bound = 48;
        var (topic, name) = await NewTopicAsync(DeleteAcked);
        var subscriptions = new[] { await NewSubscriptionAsync(name, "a"), await NewSubscriptionAsync(name, "b") };
        var peak = 0;
        for (var round = 0; round < Rounds; round++)
        {
            await topic.PublishAsync(TestMessages.Many(10, $"r{round}-"));

            // Every round's messages reach every subscription: nothing unacked is deleted under them.
            foreach (var subscription in subscriptions)
            {
                Assert.Equal(10, (await Pulls.DrainAsync(subscription)).Length);
            }

            // A second of broker time a round, far less than any retention: chunks go because they are acked.
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => StoredChunks(name) <= Bound, $"at most {Bound} chunks stored in round {round}");
            peak = Math.Max(peak, StoredChunks(name));
        }

        Assert.InRange(peak, 1, Bound);
        Assert.Equal(Rounds * 10, (await topic.GetAsync()).LastSequence);
    }

    [Fact]
    public async Task Storage_StaysBounded_OverManyRetentionPeriods_ByAge()
    {
        const int Rounds = 300;
        const int Bound = 24;
        var (topic, name) = await NewTopicAsync(new TopicSettings { Retention = TimeSpan.FromMinutes(1), DedupWindow = TimeSpan.Zero });

        // A subscription that never acks: age alone bounds storage.
        var stalled = await NewSubscriptionAsync(name, "stalled");
        for (var round = 0; round < Rounds; round++)
        {
            await topic.PublishAsync(TestMessages.Many(10, $"r{round}-"));
            fixture.Time.Advance(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(() => StoredChunks(name) <= Bound, $"at most {Bound} chunks stored in round {round}");
        }

        // 25 minutes of broker time against a one-minute retention: the stalled subscription starts at what is left.
        var first = (await topic.GetPositionAsync()).FirstSequence;
        Assert.True(first > (Rounds - Bound) * 10, $"first retained sequence {first}");
        var deliveries = await stalled.PullAsync(1, TimeSpan.Zero);
        Assert.True(deliveries.Single().Message.Sequence >= first);
    }
}
