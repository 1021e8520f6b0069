using ActorMessaging.Grains.Subscriptions;

namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>
/// <see cref="SubscriptionSettings.ExactlyOnce"/>: an ack is confirmed only once it is durable, a failed save is an
/// <see cref="ErrorCode.AckNotDurable"/> failure followed by a redelivery, and a confirmed ack is never undone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainExactlyOnceTests(ClusterFixture fixture)
{
    private const string StateName = "subscription";
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ISubscriptionGrain Subscription, WriteGate Gate, GrainId Id)> NewAsync(int published, bool exactlyOnce = true)
    {
        var name = ClusterFixture.NewName("eo");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());
        await topic.PublishAsync(TestMessages.Many(published));
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest, ExactlyOnce = exactlyOnce });
        var id = subscription.GetGrainId();
        return (subscription, fixture.StateStorage.For(id), id);
    }

    private Task<SubscriptionState> StoredAsync(GrainId id) => fixture.StateStorage.ReadStoredAsync<SubscriptionState>(StateName, id);

    [Fact]
    public async Task Ack_ReturnsOnlyOnceItIsDurable()
    {
        var (subscription, gate, id) = await NewAsync(3);
        var deliveries = await subscription.PullUntilAsync(3);
        gate.Close();

        var ack = subscription.AckAsync([deliveries[0].AckId]);

        await Eventually.TrueAsync(() => gate.Waiting > 0, "the ack's write to reach storage");
        Assert.False(ack.IsCompleted, "The ack was confirmed while its write was still held back.");
        Assert.Equal(1, (await StoredAsync(id)).AckFloor);
        gate.Open();
        Assert.True((await ack).AllSucceeded);
        Assert.Equal(2, (await StoredAsync(id)).AckFloor);
    }

    [Fact]
    public async Task AtLeastOnce_Ack_ReturnsBeforeItIsDurable()
    {
        var (subscription, gate, id) = await NewAsync(1, exactlyOnce: false);
        var deliveries = await subscription.PullUntilAsync(1);
        gate.Close();

        Assert.True((await subscription.AckAsync([deliveries[0].AckId])).AllSucceeded);

        Assert.Equal(1, (await StoredAsync(id)).AckFloor);
        gate.Open();
        await Eventually.TrueAsync(async () => (await StoredAsync(id)).AckFloor == 2, "the background save of the ack");
    }

    [Fact]
    public async Task ConcurrentAcks_ShareTheWriteInFlight()
    {
        var (subscription, gate, id) = await NewAsync(50);
        var deliveries = await subscription.PullUntilAsync(50);
        gate.Close();
        var first = subscription.AckAsync([deliveries[0].AckId]);
        await Eventually.TrueAsync(() => gate.Waiting > 0, "the first ack's write to reach storage");
        var passedBefore = gate.Passed;

        var rest = deliveries.Skip(1).Select(d => subscription.AckAsync([d.AckId])).ToList();

        // Every ack inside the grain before the write is let go; a call sent later (say a pull) may run before them.
        await Eventually.TrueAsync(() => fixture.Arrivals.Count(id, nameof(ISubscriptionGrain.AckAsync)) == 50, "every ack to reach the grain");
        Assert.DoesNotContain(rest, a => a.IsCompleted);
        gate.Open();

        Assert.All(await Task.WhenAll(rest.Prepend(first)), r => Assert.True(r.AllSucceeded));
        Assert.InRange(gate.Passed - passedBefore, 1, 3);
    }

    [Fact]
    public async Task Ack_WhenTheWriteFails_FailsWithAckNotDurable_AndTheMessageComesAgain()
    {
        var (subscription, gate, id) = await NewAsync(2);
        var deliveries = await subscription.PullUntilAsync(2);
        await Eventually.TrueAsync(async () => (await StoredAsync(id)).Attempts.Count == 2, "the attempts to be saved");
        gate.FailNext();

        var result = await subscription.AckAsync([deliveries[0].AckId]);

        var failure = Assert.Single(result.Failures);
        Assert.Equal((deliveries[0].AckId, ErrorCode.AckNotDurable), (failure.AckId, failure.Code));
        Assert.Equal(1, (await StoredAsync(id)).AckFloor);

        // The activation reloads from storage: every lease of it ended, and both messages come again.
        var again = await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    return await subscription.PullAsync(10, NoWait);
                }
                catch (BrokerException exception) when (exception.Code == ErrorCode.Unavailable)
                {
                    return [];
                }
            },
            d => d.Count == 2,
            "both messages to be delivered again");
        Assert.Equal([1L, 2L], again.Select(d => d.Message.Sequence).Order());
        Assert.All(again, d => Assert.Equal(2, d.DeliveryAttempt));
        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single((await subscription.AckAsync([deliveries[1].AckId])).Failures).Code);
        Assert.True((await subscription.AckAsync([.. again.Select(d => d.AckId)])).AllSucceeded);
        Assert.Equal(3, (await StoredAsync(id)).AckFloor);
    }

    [Fact]
    public async Task ConfirmedAck_IsNeverUndone_WhenTheGrainLosesEverythingNotSaved()
    {
        var (subscription, gate, _) = await NewAsync(3);
        var deliveries = await subscription.PullUntilAsync(3);
        Assert.True((await subscription.AckAsync([deliveries[0].AckId, deliveries[1].AckId])).AllSucceeded);

        // A crash: nothing more is saved, not even on deactivation.
        gate.FailAll();
        await fixture.Cluster.DeactivateAsync(subscription);
        gate.Open();

        var again = await subscription.PullUntilAsync(1);
        Assert.Equal(3, Assert.Single(again).Message.Sequence);
        Assert.Empty(await subscription.PullAsync(10, NoWait));
    }

    [Fact]
    public async Task Ack_AfterTheLeaseExpired_FailsWithAckIdExpired_AndTheMessageComesAgain()
    {
        var (subscription, _, _) = await NewAsync(1);
        var first = Assert.Single(await subscription.PullUntilAsync(1));
        fixture.Time.Advance(new SubscriptionSettings().AckDeadline + TimeSpan.FromSeconds(1));

        Assert.Equal(ErrorCode.AckIdExpired, Assert.Single((await subscription.AckAsync([first.AckId])).Failures).Code);

        fixture.Time.Advance(new SubscriptionSettings().MaxBackoff);
        var again = Assert.Single(await subscription.PullUntilAsync(1));
        Assert.Equal((1L, 2), (again.Message.Sequence, again.DeliveryAttempt));
        Assert.True((await subscription.AckAsync([again.AckId])).AllSucceeded);
    }

    [Fact]
    public async Task Update_TurnsExactlyOnceOnAndOff()
    {
        var (subscription, gate, _) = await NewAsync(2, exactlyOnce: false);
        var settings = (await subscription.GetAsync()).Settings;

        Assert.True((await subscription.UpdateAsync(settings with { ExactlyOnce = true })).Settings.ExactlyOnce);
        var deliveries = await subscription.PullUntilAsync(2);
        gate.Close();
        var ack = subscription.AckAsync([deliveries[0].AckId]);
        await Eventually.TrueAsync(() => gate.Waiting > 0, "the ack's write to reach storage");
        Assert.False(ack.IsCompleted);
        gate.Open();
        Assert.True((await ack).AllSucceeded);

        Assert.False((await subscription.UpdateAsync(settings)).Settings.ExactlyOnce);
    }
}
