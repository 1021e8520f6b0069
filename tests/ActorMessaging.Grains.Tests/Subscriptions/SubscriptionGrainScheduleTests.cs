namespace ActorMessaging.Grains.Tests.Subscriptions;

[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainScheduleTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription)> NewAsync(SubscriptionSettings? settings = null, TopicSettings? topicSettings = null)
    {
        var name = ClusterFixture.NewName("sched");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(topicSettings ?? new TopicSettings());
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(settings ?? new SubscriptionSettings { StartAt = StartPosition.Earliest });
        return (topic, subscription);
    }

    private static string[] Texts(IEnumerable<Delivery> deliveries) => [.. deliveries.Select(d => TestMessages.TextOf(d.Message))];

    [Fact]
    public async Task DeliverAt_HoldsTheMessageBackUntilThen_OthersFlow()
    {
        var (topic, subscription) = await NewAsync();
        var at = fixture.Time.GetUtcNow().AddMinutes(1);
        await topic.PublishAsync([TestMessages.Text("later") with { DeliverAt = at }, TestMessages.Text("now")]);

        var first = await subscription.PullAsync(10, NoWait);
        await subscription.AckAsync([.. first.Select(d => d.AckId)]);
        fixture.Time.Advance(TimeSpan.FromSeconds(59));
        var early = await subscription.PullAsync(10, NoWait);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        var due = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["now"], Texts(first));
        Assert.Empty(early);
        Assert.Equal(["later"], Texts(due));
        Assert.Equal(at, due[0].Message.DeliverAt);
    }

    [Fact]
    public async Task DeliverAt_IsDurable_AcrossDeactivationOfTopicAndSubscription()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([TestMessages.Text("later") with { DeliverAt = fixture.Time.GetUtcNow().AddMinutes(5) }]);
        Assert.Empty(await subscription.PullAsync(10, NoWait));

        await fixture.Cluster.DeactivateAsync(subscription);
        await fixture.Cluster.DeactivateAsync(topic);
        var stillEarly = await subscription.PullAsync(10, NoWait);
        fixture.Time.Advance(TimeSpan.FromMinutes(5));
        var due = await subscription.PullAsync(10, NoWait);

        Assert.Empty(stillEarly);
        Assert.Equal(["later"], Texts(due));
    }

    [Fact]
    public async Task DeliverAt_BeyondRetention_FailsWithInvalidMessage_AndStoresNothing()
    {
        var (topic, _) = await NewAsync(topicSettings: new TopicSettings { Retention = TimeSpan.FromHours(1) });

        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync(
            [TestMessages.Text("ok"), TestMessages.Text("far") with { DeliverAt = fixture.Time.GetUtcNow().AddHours(2) }]));

        Assert.Equal(ErrorCode.InvalidMessage, error.Code);
        Assert.Contains("Message 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("retention", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await topic.GetAsync()).LastSequence);
    }

    [Fact]
    public async Task Ttl_ExpiredMessage_IsDroppedNotDelivered_AndLeavesTheBacklog()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([TestMessages.Text("short") with { TimeToLive = TimeSpan.FromSeconds(10) }, TestMessages.Text("forever")]);

        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        var deliveries = await subscription.PullAsync(10, NoWait);
        await subscription.AckAsync([.. deliveries.Select(d => d.AckId)]);
        var stats = await subscription.GetStatsAsync();

        Assert.Equal(["forever"], Texts(deliveries));
        Assert.Equal(0, stats.Backlog);
        Assert.Equal(0, stats.DeadLettered);
    }

    [Fact]
    public async Task Ttl_ExpiringAfterANack_IsNotRedelivered()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([TestMessages.Text("short") with { TimeToLive = TimeSpan.FromSeconds(30) }]);
        var first = Assert.Single(await subscription.PullAsync(10, NoWait));

        await subscription.NackAsync([first.AckId], TimeSpan.FromSeconds(40));
        fixture.Time.Advance(TimeSpan.FromSeconds(40));

        Assert.Empty(await subscription.PullAsync(10, NoWait));
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task Ttl_TopicDefaultApplies_AndAMessageTtlOverridesIt()
    {
        var (topic, subscription) = await NewAsync(topicSettings: new TopicSettings { DefaultTimeToLive = TimeSpan.FromSeconds(5) });
        await topic.PublishAsync([TestMessages.Text("default"), TestMessages.Text("own") with { TimeToLive = TimeSpan.FromMinutes(1) }]);

        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["own"], Texts(deliveries));
    }

    [Fact]
    public async Task Ttl_CountsFromDeliverAt()
    {
        var (topic, subscription) = await NewAsync();
        var at = fixture.Time.GetUtcNow().AddMinutes(10);
        await topic.PublishAsync([TestMessages.Text("scheduled") with { DeliverAt = at, TimeToLive = TimeSpan.FromMinutes(1) }]);

        fixture.Time.Advance(TimeSpan.FromMinutes(10.5));
        var delivery = Assert.Single(await subscription.PullAsync(10, NoWait));

        Assert.Equal(at.AddMinutes(1), delivery.Message.ExpiresAt);
    }

    [Fact]
    public async Task Ttl_WithDeadLetterExpired_DeadLettersWithReasonExpired()
    {
        var (topic, subscription) = await NewAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest, DeadLetterExpired = true });
        await topic.PublishAsync([TestMessages.Text("short") with { TimeToLive = TimeSpan.FromSeconds(1) }]);

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(await subscription.PullAsync(10, NoWait));
        await Eventually.ValueAsync(subscription.GetStatsAsync, s => s.DeadLettered == 1, "the expired message to be dead-lettered");
        var letter = Assert.Single((await subscription.ListDeadLettersAsync(10, null)).Items);

        Assert.Equal(DeadLetterReasons.Expired, letter.Reason);
        Assert.Equal(0, letter.DeliveryAttempts);
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task ConflictingOrOutOfRangeSettings_FailWithInvalidSetting()
    {
        var name = ClusterFixture.NewName("sched");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);

        var topicError = await Assert.ThrowsAsync<BrokerException>(() =>
            topic.CreateAsync(new TopicSettings { Retention = TimeSpan.FromHours(1), DefaultTimeToLive = TimeSpan.FromHours(2) }));
        await topic.CreateAsync(new TopicSettings());
        var subscriptionError = await Assert.ThrowsAsync<BrokerException>(() =>
            fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "s")).CreateAsync(new SubscriptionSettings { DeadLettering = false, DeadLetterExpired = true }));
        var ttlError = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("x") with { TimeToLive = TimeSpan.Zero }]));

        Assert.Equal(ErrorCode.InvalidSetting, topicError.Code);
        Assert.Contains("defaultTimeToLive", topicError.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidSetting, subscriptionError.Code);
        Assert.Contains("deadLetterExpired", subscriptionError.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.InvalidMessage, ttlError.Code);
    }
}
