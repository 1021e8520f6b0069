namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>Creating, reading, updating and deleting a subscription: its settings, where it starts, its stats.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task Create_OnUnknownTopic_FailsWithTopicNotFound()
    {
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(ClusterFixture.NewName("none"), "s"));

        var error = await Assert.ThrowsAsync<BrokerException>(() => subscription.CreateAsync(new SubscriptionSettings()));

        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<BrokerException>(() => subscription.GetAsync())).Code);
    }

    [Fact]
    public async Task Create_IsIdempotent_ConflictsOnOtherSettings_AndIsListedByTheTopic()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();

        var again = await subscription.CreateAsync(new SubscriptionSettings());
        var error = await Assert.ThrowsAsync<BrokerException>(() => subscription.CreateAsync(new SubscriptionSettings { MaxDeliveryAttempts = 3 }));

        Assert.False(again.Created);
        Assert.Equal(ErrorCode.ConflictingSettings, error.Code);
        Assert.Equal(["sub"], await topic.ListSubscriptionsAsync());
        Assert.Equal(1, (await topic.GetAsync()).SubscriptionCount);
    }

    public static TheoryData<SubscriptionSettings> InvalidSettings() => new()
    {
        new SubscriptionSettings { AckDeadline = TimeSpan.FromMilliseconds(500) },
        new SubscriptionSettings { AckDeadline = TimeSpan.FromMinutes(11) },
        new SubscriptionSettings { MaxDeliveryAttempts = 0 },
        new SubscriptionSettings { MaxDeliveryAttempts = 101 },
        new SubscriptionSettings { MinBackoff = TimeSpan.FromSeconds(-1) },
        new SubscriptionSettings { MinBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(5) },
        new SubscriptionSettings { MaxBackoff = TimeSpan.FromMinutes(11) },
        new SubscriptionSettings { StartAt = (StartPosition)7 },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Create_WithSettingOutOfRange_FailsWithInvalidSetting_AndRegistersNothing(SubscriptionSettings settings)
    {
        var name = ClusterFixture.NewName("t");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());

        var error = await Assert.ThrowsAsync<BrokerException>(() =>
            fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "s")).CreateAsync(settings));

        Assert.Equal(ErrorCode.InvalidSetting, error.Code);
        Assert.Empty(await topic.ListSubscriptionsAsync());
    }

    [Fact]
    public async Task Create_WithInvalidSubscriptionName_FailsWithInvalidName()
    {
        var name = ClusterFixture.NewName("t");
        await fixture.Grains.GetGrain<ITopicGrain>(name).CreateAsync(new TopicSettings());

        var error = await Assert.ThrowsAsync<BrokerException>(() =>
            fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "bad name")).CreateAsync(new SubscriptionSettings()));

        Assert.Equal(ErrorCode.InvalidName, error.Code);
    }

    [Fact]
    public async Task StartAtLatest_SeesOnlyMessagesPublishedAfterCreation()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync(publishedBefore: 3);
        await topic.PublishAsync([TestMessages.Text("after")]);

        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["after"], deliveries.Select(d => TestMessages.TextOf(d.Message)));
    }

    [Fact]
    public async Task StartAtEarliest_SeesEveryRetainedMessage()
    {
        var (_, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest }, publishedBefore: 3);

        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal([1L, 2, 3], deliveries.Select(d => d.Message.Sequence));
        Assert.All(deliveries, d => Assert.Equal(1, d.DeliveryAttempt));
        Assert.Equal(3, deliveries.Select(d => d.AckId).Distinct().Count());
    }

    [Fact]
    public async Task Stats_ReportOldestUnackedAge()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
        Assert.Null((await subscription.GetStatsAsync()).OldestUnackedAge);

        await topic.PublishAsync([TestMessages.Text("old")]);
        fixture.Time.Advance(TimeSpan.FromSeconds(42));
        await topic.PublishAsync([TestMessages.Text("new")]);

        var stats = await subscription.GetStatsAsync();
        Assert.Equal(2, stats.Backlog);
        Assert.Equal(TimeSpan.FromSeconds(42), stats.OldestUnackedAge);
    }

    [Fact]
    public async Task Update_ChangesSettings_ButKeepsTheStartPosition()
    {
        var (_, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });

        var updated = await subscription.UpdateAsync(new SubscriptionSettings { MaxDeliveryAttempts = 3 });

        Assert.Equal(3, updated.Settings.MaxDeliveryAttempts);
        Assert.Equal(StartPosition.Earliest, updated.Settings.StartAt);
        Assert.Equal(ErrorCode.InvalidSetting, (await Assert.ThrowsAsync<BrokerException>(() => subscription.UpdateAsync(new SubscriptionSettings { MaxDeliveryAttempts = 0 }))).Code);
    }

    [Fact]
    public async Task Delete_RemovesTheSubscription_FromItsTopic()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();

        await subscription.DeleteAsync();

        Assert.Empty(await topic.ListSubscriptionsAsync());
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(1, NoWait))).Code);
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<BrokerException>(() => subscription.DeleteAsync())).Code);
    }
}
