namespace ActorMessaging.Grains.Tests.Subscriptions;

/// <summary>Push consumers: attaching, flow control by their in-flight limit, and detaching.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainConsumerTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    [Fact]
    public async Task PushConsumer_ReceivesMessages_UpToItsMaxInFlight_AndMoreAfterAcks()
    {
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (topic, subscription) = await fixture.NewSubscriptionAsync();
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
        var (_, subscription) = await fixture.NewSubscriptionAsync();
        var reference = fixture.Client.CreateObjectReference<IDeliveryObserver>(new RecordingObserver());

        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AttachAsync(new ConsumerRegistration("", reference, 1)))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => subscription.AttachAsync(new ConsumerRegistration("c", reference, 0)))).Code);
    }
}
