namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>Settling leased messages: ack, nack with backoff or a delay, extend, and leases that expire.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainSettleTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task Ack_SettlesMessages_AndStatsFollow()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
        await topic.PublishAsync(TestMessages.Many(1));
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        await subscription.AckAsync([delivery.AckId]);
        var again = await subscription.AckAsync([delivery.AckId]);

        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single(again.Failures).Code);
    }

    [Fact]
    public async Task Ack_WithNoIdsOrTooMany_FailsWithInvalidArgument()
    {
        var (_, subscription) = await fixture.NewSubscriptionAsync();

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AckAsync([]))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AckAsync([.. Enumerable.Repeat("x", 1001)]))).Code);
    }

    [Fact]
    public async Task LeaseExpiry_RedeliversAfterBackoff_WithTheNextAttempt_AndTheOldAckIdExpires()
    {
        var settings = new SubscriptionSettings { AckDeadline = TimeSpan.FromSeconds(10), MinBackoff = TimeSpan.FromSeconds(2) };
        var (topic, subscription) = await fixture.NewSubscriptionAsync(settings);
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

        var (topic, subscription) = await fixture.NewSubscriptionAsync(settings);
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { AckDeadline = TimeSpan.FromSeconds(10) });
        await topic.PublishAsync([TestMessages.Text("m")]);
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        fixture.Time.Advance(TimeSpan.FromSeconds(8));
        Assert.True((await subscription.ExtendAsync([delivery.AckId], TimeSpan.FromSeconds(30))).AllSucceeded);
        fixture.Time.Advance(TimeSpan.FromSeconds(20));

        Assert.Empty(await subscription.PullAsync(1, NoWait));
        Assert.True((await subscription.AckAsync([delivery.AckId])).AllSucceeded);
    }
}
