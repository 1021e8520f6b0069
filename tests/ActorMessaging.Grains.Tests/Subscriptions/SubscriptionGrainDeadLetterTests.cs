namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>Dead letters: reject, too many delivery attempts, listing, resubmitting and purging them, and dead-lettering off.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainDeadLetterTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task Reject_DeadLettersAtOnce_WithReasonRejected_AndIsRefusedWithDeadLetteringOff()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
        await topic.PublishAsync([TestMessages.Text("poison")]);
        var delivery = Assert.Single(await subscription.PullAsync(1, NoWait));

        Assert.True((await subscription.RejectAsync([delivery.AckId])).AllSucceeded);

        var stats = await Eventually.ValueAsync(subscription.GetStatsAsync, s => s.DeadLettered == 1, "the rejected message to be dead-lettered");
        Assert.Equal((0, 0), (stats.Backlog, stats.InFlight));
        var letter = Assert.Single((await subscription.ListDeadLettersAsync(10, null)).Items);
        Assert.Equal((DeadLetterReasons.Rejected, 1), (letter.Reason, letter.DeliveryAttempts));
        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single((await subscription.RejectAsync([delivery.AckId])).Failures).Code);

        var (otherTopic, noDeadLetters) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { DeadLettering = false });
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync(settings);
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync(settings);
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync(settings);
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
}
