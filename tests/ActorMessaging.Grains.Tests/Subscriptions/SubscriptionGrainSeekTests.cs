namespace ActorMessaging.Grains.Tests.Subscriptions;

[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainSeekTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription, string Name)> NewAsync(int published, SubscriptionSettings? settings = null)
    {
        var name = ClusterFixture.NewName("seek");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings { Retention = TimeSpan.FromHours(1) });
        if (published > 0)
        {
            await topic.PublishAsync(TestMessages.Many(published));
        }

        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(settings ?? new SubscriptionSettings { StartAt = StartPosition.Earliest });
        return (topic, subscription, name);
    }

    private static async Task<List<Delivery>> DrainAsync(ISubscriptionGrain subscription)
    {
        var all = new List<Delivery>();
        while ((await subscription.PullAsync(100, NoWait)) is { Count: > 0 } deliveries)
        {
            all.AddRange(deliveries);
            await subscription.AckAsync([.. deliveries.Select(d => d.AckId)]);
        }

        return all;
    }

    [Fact]
    public async Task SeekBack_RedeliversAckedMessages_FromThatSequence_WithFreshAttempts()
    {
        var (_, subscription, _) = await NewAsync(5);
        Assert.Equal(5, (await DrainAsync(subscription)).Count);

        var info = await subscription.SeekAsync(SeekTarget.ToSequence(3));
        var again = await DrainAsync(subscription);

        Assert.Equal(3, info.Stats.Backlog);
        Assert.Equal([3L, 4, 5], again.Select(d => d.Message.Sequence));
        Assert.All(again, d => Assert.Equal(1, d.DeliveryAttempt));
    }

    [Fact]
    public async Task SeekForward_CountsEverythingBeforeAsAcked()
    {
        var (_, subscription, _) = await NewAsync(5);

        var info = await subscription.SeekAsync(SeekTarget.ToSequence(4));
        var delivered = await DrainAsync(subscription);

        Assert.Equal(2, info.Stats.Backlog);
        Assert.Equal([4L, 5], delivered.Select(d => d.Message.Sequence));
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task Seek_EndsLeasesInFlight_TheirAckIdsExpire_AndTheMessagesComeAgain()
    {
        var (_, subscription, _) = await NewAsync(3);
        var leased = await subscription.PullAsync(2, NoWait);

        await subscription.SeekAsync(SeekTarget.ToSequence(1));
        var result = await subscription.AckAsync([.. leased.Select(d => d.AckId)]);
        var again = await subscription.PullAsync(10, NoWait);

        Assert.All(result.Failures, f => Assert.Equal(ErrorCode.AckIdExpired, f.Code));
        Assert.Equal(2, result.Failures.Count);
        Assert.Equal([1L, 2, 3], again.Select(d => d.Message.Sequence));
        Assert.Equal(3, (await subscription.GetStatsAsync()).InFlight);
    }

    [Fact]
    public async Task SeekToTime_StartsAtTheFirstMessagePublishedThen()
    {
        var (topic, subscription, _) = await NewAsync(2);
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var later = fixture.Time.GetUtcNow();
        await topic.PublishAsync(TestMessages.Many(2, "later"));
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await DrainAsync(subscription);

        await subscription.SeekAsync(SeekTarget.ToTime(later));
        var fromLater = await DrainAsync(subscription);
        await subscription.SeekAsync(SeekTarget.ToTime(later.AddMinutes(-1)));
        var fromStart = await DrainAsync(subscription);

        Assert.Equal([3L, 4], fromLater.Select(d => d.Message.Sequence));
        Assert.Equal([1L, 2, 3, 4], fromStart.Select(d => d.Message.Sequence));
    }

    [Fact]
    public async Task Seek_IsDurable_AcrossDeactivation()
    {
        var (_, subscription, _) = await NewAsync(4);
        await DrainAsync(subscription);
        await subscription.SeekAsync(SeekTarget.ToSequence(3));

        await fixture.Cluster.DeactivateAsync(subscription);

        Assert.Equal([3L, 4], (await DrainAsync(subscription)).Select(d => d.Message.Sequence));
    }

    public static TheoryData<string> BadTargets() => ["sequence 0", "sequence 7", "future", "before retention", "both", "neither"];

    [Theory]
    [MemberData(nameof(BadTargets))]
    public async Task Seek_OutsideWhatTheTopicRetains_FailsWithInvalidArgument_AndChangesNothing(string which)
    {
        var (_, subscription, _) = await NewAsync(5);
        var leased = Assert.Single(await subscription.PullAsync(1, NoWait));
        var now = fixture.Time.GetUtcNow();
        var target = which switch
        {
            "sequence 0" => SeekTarget.ToSequence(0),
            "sequence 7" => SeekTarget.ToSequence(7),
            "future" => SeekTarget.ToTime(now.AddSeconds(1)),
            "before retention" => SeekTarget.ToTime(now.AddHours(-2)),
            "both" => new SeekTarget(1, now),
            _ => new SeekTarget(),
        };

        var error = await Assert.ThrowsAsync<BrokerException>(() => subscription.SeekAsync(target));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.True((await subscription.AckAsync([leased.AckId])).AllSucceeded);
        Assert.Equal(4, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task Create_AtASequence_OrATime_StartsThere()
    {
        var (topic, _, name) = await NewAsync(3);
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var later = fixture.Time.GetUtcNow();
        await topic.PublishAsync(TestMessages.Many(2, "later"));

        var atSequence = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "at-seq"));
        await atSequence.CreateAsync(new SubscriptionSettings { StartFrom = SeekTarget.ToSequence(2) });
        var atTime = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "at-time"));
        await atTime.CreateAsync(new SubscriptionSettings { StartFrom = SeekTarget.ToTime(later) });

        Assert.Equal([2L, 3, 4, 5], (await DrainAsync(atSequence)).Select(d => d.Message.Sequence));
        Assert.Equal([4L, 5], (await DrainAsync(atTime)).Select(d => d.Message.Sequence));
        Assert.Equal(SeekTarget.ToSequence(2), (await atSequence.GetAsync()).Settings.StartFrom);
    }

    [Fact]
    public async Task Create_AtAnUnretainedSequence_FailsWithInvalidArgument_AndRegistersNothing()
    {
        var (topic, _, name) = await NewAsync(3);

        var error = await Assert.ThrowsAsync<BrokerException>(() =>
            fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "bad")).CreateAsync(new SubscriptionSettings { StartFrom = SeekTarget.ToSequence(10) }));

        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Equal(["sub"], await topic.ListSubscriptionsAsync());
    }
}
