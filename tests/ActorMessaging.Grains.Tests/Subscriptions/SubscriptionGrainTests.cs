namespace ActorMessaging.Grains.Tests.Subscriptions;

[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription)> NewAsync(SubscriptionSettings? settings = null, int publishedBefore = 0)
    {
        var name = ClusterFixture.NewName("t");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());
        if (publishedBefore > 0)
        {
            await topic.PublishAsync(TestMessages.Many(publishedBefore, "before"));
        }

        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(settings ?? new SubscriptionSettings());
        return (topic, subscription);
    }

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
        var (topic, subscription) = await NewAsync();

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
        var (topic, subscription) = await NewAsync(publishedBefore: 3);
        await topic.PublishAsync([TestMessages.Text("after")]);

        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["after"], deliveries.Select(d => TestMessages.TextOf(d.Message)));
    }

    [Fact]
    public async Task StartAtEarliest_SeesEveryRetainedMessage()
    {
        var (_, subscription) = await NewAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest }, publishedBefore: 3);

        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal([1L, 2, 3], deliveries.Select(d => d.Message.Sequence));
        Assert.All(deliveries, d => Assert.Equal(1, d.DeliveryAttempt));
        Assert.Equal(3, deliveries.Select(d => d.AckId).Distinct().Count());
    }

    [Fact]
    public async Task Pull_RespectsMaxMessages_AndDoesNotRedeliverLeasedMessages()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync(TestMessages.Many(5));

        var first = await subscription.PullAsync(2, NoWait);
        var second = await subscription.PullAsync(10, NoWait);
        var third = await subscription.PullAsync(10, NoWait);

        Assert.Equal([1L, 2], first.Select(d => d.Message.Sequence));
        Assert.Equal([3L, 4, 5], second.Select(d => d.Message.Sequence));
        Assert.Empty(third);
    }

    [Fact]
    public async Task Pull_WithBadArguments_FailsWithInvalidArgument()
    {
        var (_, subscription) = await NewAsync();

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(0, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(1001, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(1, TimeSpan.FromSeconds(31)))).Code);
    }

    [Fact]
    public async Task Pull_WithWait_ReturnsAsSoonAsAMessageIsPublished()
    {
        var (topic, subscription) = await NewAsync();

        var pull = subscription.PullAsync(10, TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () =>
        {
            await topic.PublishAsync([TestMessages.Text("wake")]);
            return pull.IsCompleted;
        }, "the waiting pull to receive a published message");

        var deliveries = await pull;
        Assert.Equal("wake", TestMessages.TextOf(deliveries[0].Message));
    }

    [Fact]
    public async Task Pull_WithWait_ReturnsEmptyWhenTheWaitRunsOut()
    {
        var (_, subscription) = await NewAsync();

        var pull = subscription.PullAsync(10, TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            return pull.IsCompleted;
        }, "the pull to give up after its wait");

        Assert.Empty(await pull);
    }

    [Fact]
    public async Task Ack_SettlesMessages_AndStatsFollow()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync(TestMessages.Many(4));
        var deliveries = await subscription.PullAsync(3, NoWait);

        var before = await subscription.GetStatsAsync();
        var result = await subscription.AckAsync([deliveries[0].AckId, deliveries[2].AckId]);
        var after = await subscription.GetStatsAsync();

        Assert.True(result.AllSucceeded);
        Assert.Equal(4, before.Backlog);
        Assert.Equal(3, before.InFlight);
        Assert.Equal(2, after.Backlog);
        Assert.Equal(1, after.InFlight);
        Assert.Equal(2, after.AckFloor);
    }

    [Fact]
    public async Task Ack_UnknownOrMalformedId_FailsWithAckIdUnknown_AndOthersStillApply()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync(TestMessages.Many(1));
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));
        var parts = delivery.AckId.Split('-');
        var neverDelivered = $"{parts[0]}-ff-1";

        var result = await subscription.AckAsync(["garbage", neverDelivered, delivery.AckId]);

        Assert.Equal(2, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Equal(ErrorCode.AckIdUnknown, f.Code));
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task Ack_Twice_SecondFailsWithAckIdExpired()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync(TestMessages.Many(1));
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        await subscription.AckAsync([delivery.AckId]);
        var again = await subscription.AckAsync([delivery.AckId]);

        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single(again.Failures).Code);
    }

    [Fact]
    public async Task Ack_WithNoIdsOrTooMany_FailsWithInvalidArgument()
    {
        var (_, subscription) = await NewAsync();

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AckAsync([]))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AckAsync([.. Enumerable.Repeat("x", 1001)]))).Code);
    }

    [Fact]
    public async Task LeaseExpiry_RedeliversAfterBackoff_WithTheNextAttempt_AndTheOldAckIdExpires()
    {
        var settings = new SubscriptionSettings { AckDeadline = TimeSpan.FromSeconds(10), MinBackoff = TimeSpan.FromSeconds(2) };
        var (topic, subscription) = await NewAsync(settings);
        await topic.PublishAsync([TestMessages.Text("m")]);
        var first = Assert.Single(await subscription.PullAsync(1, NoWait));

        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(await subscription.PullAsync(1, NoWait));
        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single((await subscription.AckAsync([first.AckId])).Failures).Code);

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        var second = Assert.Single(await subscription.PullAsync(1, NoWait));
        Assert.Equal(2, second.DeliveryAttempt);
        Assert.Equal(first.Message.Sequence, second.Message.Sequence);
        Assert.True((await subscription.AckAsync([second.AckId])).AllSucceeded);
    }

    [Fact]
    public async Task Backoff_GrowsExponentially_UpToTheMaximum()
    {
        var settings = new SubscriptionSettings { MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(5), MaxDeliveryAttempts = 10 };

        Assert.Equal(
            [1, 2, 4, 5, 5],
            Enumerable.Range(1, 5).Select(attempt => settings.BackoffFor(attempt).TotalSeconds));

        var (topic, subscription) = await NewAsync(settings);
        await topic.PublishAsync([TestMessages.Text("m")]);
        foreach (var backoff in new[] { 1, 2, 4 })
        {
            var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));
            await subscription.NackAsync([delivery.AckId], delay: null);
            fixture.Time.Advance(TimeSpan.FromSeconds(backoff) - TimeSpan.FromMilliseconds(1));
            Assert.Empty(await subscription.PullAsync(1, NoWait));
            fixture.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(4, Assert.Single(await subscription.PullAsync(1, NoWait)).DeliveryAttempt);
    }

    [Fact]
    public async Task Nack_WithDelay_RedeliversAfterThatDelay()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([TestMessages.Text("m")]);
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        Assert.True((await subscription.NackAsync([delivery.AckId], TimeSpan.FromSeconds(30))).AllSucceeded);
        fixture.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await subscription.PullAsync(1, NoWait));
        fixture.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(2, Assert.Single(await subscription.PullAsync(1, NoWait)).DeliveryAttempt);
    }

    [Fact]
    public async Task Nack_WithZeroDelay_RedeliversAtOnce_AndRejectsNegativeDelay()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([TestMessages.Text("m")]);
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        var error = await Assert.ThrowsAsync<BrokerException>(() => subscription.NackAsync([delivery.AckId], TimeSpan.FromSeconds(-1)));
        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        await subscription.NackAsync([delivery.AckId], TimeSpan.Zero);

        Assert.Equal(2, Assert.Single(await subscription.PullAsync(1, NoWait)).DeliveryAttempt);
    }

    [Fact]
    public async Task Extend_KeepsTheLeasePastItsDeadline()
    {
        var (topic, subscription) = await NewAsync(new SubscriptionSettings { AckDeadline = TimeSpan.FromSeconds(10) });
        await topic.PublishAsync([TestMessages.Text("m")]);
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        fixture.Time.Advance(TimeSpan.FromSeconds(8));
        Assert.True((await subscription.ExtendAsync([delivery.AckId], TimeSpan.FromSeconds(30))).AllSucceeded);
        fixture.Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Empty(await subscription.PullAsync(1, NoWait));
        Assert.True((await subscription.AckAsync([delivery.AckId])).AllSucceeded);
    }

    [Fact]
    public async Task Reject_DeadLettersAtOnce_WithReasonRejected_AndIsRefusedWithDeadLetteringOff()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync([TestMessages.Text("poison")]);
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        Assert.True((await subscription.RejectAsync([delivery.AckId])).AllSucceeded);

        var stats = await Eventually.ValueAsync(subscription.GetStatsAsync, s => s.DeadLettered == 1, "the rejected message to be dead-lettered");
        Assert.Equal((0, 0), (stats.Backlog, stats.InFlight));
        var letter = Assert.Single((await subscription.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal((DeadLetterReasons.Rejected, 1), (letter.Reason, letter.DeliveryAttempts));
        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single((await subscription.RejectAsync([delivery.AckId])).Failures).Code);

        var (otherTopic, noDeadLetters) = await NewAsync(new SubscriptionSettings { DeadLettering = false });
        await otherTopic.PublishAsync([TestMessages.Text("m")]);
        var kept = Assert.Single(await noDeadLetters.PullAsync(1, NoWait));
        var refused = await Assert.ThrowsAsync<BrokerException>(() => noDeadLetters.RejectAsync([kept.AckId]));
        Assert.Equal(ErrorCode.InvalidArgument, refused.Code);
        Assert.Equal(1, (await noDeadLetters.GetStatsAsync()).InFlight);
    }

    [Fact]
    public async Task MaxDeliveryAttempts_MovesTheMessageToDeadLetters_ThenResubmitAndPurgeWork()
    {
        var settings = new SubscriptionSettings { MaxDeliveryAttempts = 2, MinBackoff = TimeSpan.Zero };
        var (topic, subscription) = await NewAsync(settings);
        await topic.PublishAsync([TestMessages.Text("poison"), TestMessages.Text("fine")]);

        var firstRound = await subscription.PullAsync(10, NoWait);
        await subscription.AckAsync([firstRound[1].AckId]);
        await subscription.NackAsync([firstRound[0].AckId], delay: null);
        var secondTry = Assert.Single(await subscription.PullAsync(10, NoWait));
        await subscription.NackAsync([secondTry.AckId], delay: null);

        var stats = await Eventually.ValueAsync(subscription.GetStatsAsync, s => s.DeadLettered == 1, "the message to be dead-lettered");
        Assert.Equal(0, stats.Backlog);
        Assert.Empty(await subscription.PullAsync(10, NoWait));
        var letter = Assert.Single((await subscription.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal("poison", TestMessages.TextOf(letter.Message));
        Assert.Equal(2, letter.DeliveryAttempts);
        Assert.Equal(DeadLetterReasons.MaxDeliveryAttempts, letter.Reason);

        Assert.Equal(1, await subscription.ResubmitDeadLettersAsync(null));
        Assert.Equal(0, (await subscription.GetStatsAsync()).DeadLettered);
        Assert.Equal(1, (await subscription.GetStatsAsync()).Backlog);
        var resubmitted = Assert.Single(await subscription.PullAsync(10, NoWait));
        Assert.Equal(1, resubmitted.DeliveryAttempt);
        Assert.Equal(letter.Message.Sequence, resubmitted.Message.Sequence);
        await subscription.NackAsync([resubmitted.AckId], delay: null);
        await subscription.NackAsync([Assert.Single(await subscription.PullAsync(10, NoWait)).AckId], delay: null);

        await Eventually.ValueAsync(subscription.GetStatsAsync, s => s.DeadLettered == 1, "the resubmitted message to be dead-lettered again");
        Assert.Equal(1, await subscription.PurgeDeadLettersAsync());
        Assert.Empty((await subscription.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal(0, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task DeadLetteringOff_KeepsRetryingPastMaxAttempts()
    {
        var settings = new SubscriptionSettings { MaxDeliveryAttempts = 1, MinBackoff = TimeSpan.Zero, DeadLettering = false };
        var (topic, subscription) = await NewAsync(settings);
        await topic.PublishAsync([TestMessages.Text("m")]);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));
            Assert.Equal(attempt, delivery.DeliveryAttempt);
            await subscription.NackAsync([delivery.AckId], delay: null);
        }

        Assert.Equal(0, (await subscription.GetStatsAsync()).DeadLettered);
    }

    [Fact]
    public async Task DeadLetters_PageInSequenceOrder()
    {
        var settings = new SubscriptionSettings { MaxDeliveryAttempts = 1 };
        var (topic, subscription) = await NewAsync(settings);
        await topic.PublishAsync(TestMessages.Many(5));
        var deliveries = await subscription.PullAsync(10, NoWait);
        await subscription.NackAsync([.. deliveries.Select(d => d.AckId)], delay: null);
        await Eventually.ValueAsync(subscription.GetStatsAsync, s => s.DeadLettered == 5, "five dead letters");

        var first = await subscription.ListDeadLettersAsync(2, null);
        var second = await subscription.ListDeadLettersAsync(10, first.NextAfterSequence);

        Assert.Equal([1L, 2], first.Items.Select(d => d.Message.Sequence));
        Assert.Equal([3L, 4, 5], second.Items.Select(d => d.Message.Sequence));
        Assert.Null(second.NextAfterSequence);
        Assert.Equal(2, await subscription.ResubmitDeadLettersAsync([2, 4]));
        Assert.Equal([1L, 3, 5], (await subscription.ListDeadLettersAsync(10, null)).Items.Select(d => d.Message.Sequence));
    }

    [Fact]
    public async Task Stats_ReportOldestUnackedAge()
    {
        var (topic, subscription) = await NewAsync();
        Assert.Null((await subscription.GetStatsAsync()).OldestUnackedAge);

        await topic.PublishAsync([TestMessages.Text("old")]);
        fixture.Time.Advance(TimeSpan.FromSeconds(42));
        await topic.PublishAsync([TestMessages.Text("new")]);

        var stats = await subscription.GetStatsAsync();
        Assert.Equal(2, stats.Backlog);
        Assert.Equal(TimeSpan.FromSeconds(42), stats.OldestUnackedAge);
    }

    [Fact]
    public async Task Cursor_SurvivesDeactivation_AckedMessagesAreNotRedelivered()
    {
        var (topic, subscription) = await NewAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        await topic.PublishAsync(TestMessages.Many(6));
        var deliveries = await subscription.PullAsync(6, NoWait);
        await subscription.AckAsync([deliveries[0].AckId, deliveries[1].AckId, deliveries[3].AckId]);
        await subscription.NackAsync([deliveries[2].AckId], TimeSpan.Zero);

        await fixture.Cluster.DeactivateAsync(subscription);
        await fixture.Cluster.DeactivateAsync(topic);
        var again = await subscription.PullAsync(10, NoWait);

        Assert.Equal([3L, 5, 6], again.Select(d => d.Message.Sequence));
        Assert.Equal([2, 2, 2], again.Select(d => d.DeliveryAttempt));
        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single((await subscription.AckAsync([deliveries[4].AckId])).Failures).Code);
    }

    [Fact]
    public async Task Update_ChangesSettings_ButKeepsTheStartPosition()
    {
        var (_, subscription) = await NewAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });

        var updated = await subscription.UpdateAsync(new SubscriptionSettings { MaxDeliveryAttempts = 3 });

        Assert.Equal(3, updated.Settings.MaxDeliveryAttempts);
        Assert.Equal(StartPosition.Earliest, updated.Settings.StartAt);
        Assert.Equal(ErrorCode.InvalidSetting, (await Assert.ThrowsAsync<BrokerException>(() => subscription.UpdateAsync(new SubscriptionSettings { MaxDeliveryAttempts = 0 }))).Code);
    }

    [Fact]
    public async Task Delete_RemovesTheSubscription_FromItsTopic()
    {
        var (topic, subscription) = await NewAsync();

        await subscription.DeleteAsync();

        Assert.Empty(await topic.ListSubscriptionsAsync());
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(1, NoWait))).Code);
        Assert.Equal(ErrorCode.SubscriptionNotFound, (await Assert.ThrowsAsync<BrokerException>(() => subscription.DeleteAsync())).Code);
    }

    [Fact]
    public async Task CompetingPullers_EachMessageIsLeasedToOneOfThem()
    {
        var (topic, subscription) = await NewAsync();
        await topic.PublishAsync(TestMessages.Many(100));

        var pulls = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => subscription.PullAsync(20, NoWait)));

        var sequences = pulls.SelectMany(p => p).Select(d => d.Message.Sequence).ToList();
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal(100, sequences.Count);
    }

    [Fact]
    public async Task PushConsumer_ReceivesMessages_UpToItsMaxInFlight_AndMoreAfterAcks()
    {
        var (topic, subscription) = await NewAsync();
        var observer = new RecordingObserver();
        var reference = fixture.Client.CreateObjectReference<IDeliveryObserver>(observer);
        await subscription.AttachAsync(new ConsumerRegistration("c1", reference, MaxInFlight: 3));

        await topic.PublishAsync(TestMessages.Many(10));
        await Eventually.TrueAsync(() => observer.Received.Count >= 3, "three pushed deliveries");
        Assert.Equal(3, (await subscription.GetStatsAsync()).InFlight);
        Assert.Equal(3, observer.Received.Count);

        await subscription.AckAsync([.. observer.Received.Select(d => d.AckId)]);
        await Eventually.TrueAsync(() => observer.Received.Count >= 6, "three more deliveries after the acks");
        Assert.Equal([1L, 2, 3, 4, 5, 6], observer.Received.Select(d => d.Message.Sequence).Order());
        Assert.Equal(1, (await subscription.GetStatsAsync()).ConsumersAttached);
    }

    [Fact]
    public async Task PushConsumer_Detach_ReleasesItsLeasesToOthers()
    {
        var (topic, subscription) = await NewAsync();
        var first = new RecordingObserver();
        await subscription.AttachAsync(new ConsumerRegistration("c1", fixture.Client.CreateObjectReference<IDeliveryObserver>(first), 5));
        await topic.PublishAsync(TestMessages.Many(5));
        await Eventually.TrueAsync(() => first.Received.Count == 5, "five deliveries to the first consumer");

        await subscription.DetachAsync("c1");
        var pulled = await subscription.PullAsync(10, NoWait);

        Assert.Equal([1L, 2, 3, 4, 5], pulled.Select(d => d.Message.Sequence));
        Assert.All(pulled, d => Assert.Equal(2, d.DeliveryAttempt));
        Assert.Equal(0, (await subscription.GetStatsAsync()).ConsumersAttached);
    }

    [Fact]
    public async Task Attach_WithBadArguments_FailsWithInvalidArgument()
    {
        var (_, subscription) = await NewAsync();
        var reference = fixture.Client.CreateObjectReference<IDeliveryObserver>(new RecordingObserver());

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AttachAsync(new ConsumerRegistration("", reference, 1)))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AttachAsync(new ConsumerRegistration("c", reference, 0)))).Code);
    }
}
