using ActorMessaging.Grains.Subscriptions;

namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>
/// Issue 17: an idle subscription costs nothing. It ticks only while it has delivery work (leases, consumers, waiting
/// pulls) and refreshes its gauges only until they are quiet; then it has no timer at all, and what was due is done at
/// the next call. Grain timers run on the system clock, so these tests wait for them with deadlines.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainIdleTests(ClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private readonly GrainTimers _timers = new();

    [Fact]
    public async Task IdleSubscription_OnceItsGaugesAreQuiet_HasNoTimer_AndNoLongerAsksItsTopic()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        var (topicName, name) = (topic.GetPrimaryKeyString(), "sub");
        await topic.PublishAsync([TestMessages.Text("waiting")]);
        var clock = await fixture.TickingSubscriptionAsync();

        // The gauges learn of the publish from the topic while they are fresh; a minute without change and they rest.
        await Eventually.TrueAsync(() => BacklogGauge.Read(topicName, name) == 1, "the backlog gauge to show the message");
        fixture.Time.Advance(SubscriptionGrain.GaugesQuietAfter);
        await Eventually.TrueAsync(() => _timers.Live(subscription.GetGrainId()) == 0, "the idle subscription's timers to go");

        // Its gauges used to ask the topic every 5 s: longer than that passes without a question.
        var asked = fixture.Arrivals.Count(topic.GetGrainId(), nameof(ITopicGrain.GetPositionAsync));
        await _timers.RunForAsync(clock, seconds: 6);
        Assert.Equal(asked, fixture.Arrivals.Count(topic.GetGrainId(), nameof(ITopicGrain.GetPositionAsync)));
        Assert.Equal(0, _timers.Live(subscription.GetGrainId()));
        Assert.Equal(1, BacklogGauge.Read(topicName, name));

        // Nothing waited on a timer: the next call finds the message.
        Assert.Equal("waiting", TestMessages.TextOf(Assert.Single(await subscription.PullAsync(1, NoWait)).Message));
    }

    [Fact]
    public async Task ExpiredLease_IsDeadLetteredWithoutAnyCall_ThenTheSubscriptionRests()
    {
        var settings = new SubscriptionSettings { StartAt = StartPosition.Earliest, AckDeadline = TimeSpan.FromSeconds(10), MaxDeliveryAttempts = 1 };
        var (topic, subscription) = await fixture.NewSubscriptionAsync(settings);
        var topicName = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("never acked")]);
        await subscription.PullUntilAsync(1);
        await Eventually.TrueAsync(() => BacklogGauge.Read(topicName, "sub") == 1, "the backlog gauge to count the leased message");

        // Listing dead letters ends no lease: only the tick, which runs while a lease is out, can have done it.
        fixture.Time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => (await subscription.ListDeadLettersAsync(10, null)).Items.Count == 1, "the expired lease's message to be dead-lettered");

        await Eventually.TrueAsync(() => BacklogGauge.Read(topicName, "sub") == 0, "the backlog gauge to empty");
        fixture.Time.Advance(SubscriptionGrain.GaugesQuietAfter);
        await Eventually.TrueAsync(() => _timers.Live(subscription.GetGrainId()) == 0, "the subscription's timers to go once nothing is leased");
    }

    [Fact]
    public async Task PushConsumer_GetsAnExpiredLeaseAgain_WithoutAnyCall()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync(new SubscriptionSettings { AckDeadline = TimeSpan.FromSeconds(10), MinBackoff = TimeSpan.Zero });
        var observer = new RecordingObserver();
        await subscription.AttachAsync(new ConsumerRegistration("c1", fixture.Client.CreateObjectReference<IDeliveryObserver>(observer), MaxInFlight: 1));
        await topic.PublishAsync([TestMessages.Text("not acked in time")]);
        await Eventually.TrueAsync(() => observer.Received.Count == 1, "the first delivery");

        fixture.Time.Advance(TimeSpan.FromSeconds(10));

        await Eventually.TrueAsync(() => observer.Received.Count == 2, "the redelivery after the lease expired");
        Assert.Equal([1, 2], observer.Received.Select(d => d.DeliveryAttempt));
    }

    public void Dispose() => _timers.Dispose();
}
