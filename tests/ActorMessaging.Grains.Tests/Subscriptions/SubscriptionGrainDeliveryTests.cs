namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>Pulling: how many messages a pull leases, waiting for one, competing pullers, and the cursor across deactivation.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainDeliveryTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task Pull_RespectsMaxMessages_AndDoesNotRedeliverLeasedMessages()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (_, subscription) = await fixture.NewSubscriptionAsync();

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(0, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(1001, NoWait))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.PullAsync(1, TimeSpan.FromSeconds(31)))).Code);
    }

    [Fact]
    public async Task Pull_WithWait_ReturnsAsSoonAsAMessageIsPublished()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();

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
        var (_, subscription) = await fixture.NewSubscriptionAsync();

        var pull = subscription.PullAsync(10, TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
            return pull.IsCompleted;
        }, "the pull to give up after its wait");

        Assert.Empty(await pull);
    }

    [Fact]
    public async Task Cursor_SurvivesDeactivation_AckedMessagesAreNotRedelivered()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
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
    public async Task CompetingPullers_EachMessageIsLeasedToOneOfThem()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
        await topic.PublishAsync(TestMessages.Many(100));

        var pulls = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => subscription.PullAsync(20, NoWait)));

        var sequences = pulls.SelectMany(p => p).Select(d => d.Message.Sequence).ToList();
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Equal(100, sequences.Count);
    }
}
