namespace ActorMessaging.Grains.Tests.Subscriptions;

[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainFilterTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription)> NewAsync(string? filter)
    {
        var name = ClusterFixture.NewName("f");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest, Filter = filter });
        return (topic, subscription);
    }

    private static OutgoingMessage Colored(string text, string color) =>
        TestMessages.Text(text, attributes: new Dictionary<string, string> { ["color"] = color });

    [Fact]
    public async Task Filter_DeliversOnlyMatchingMessages_InOrder()
    {
        var (topic, subscription) = await NewAsync("color = 'red'");
        await topic.PublishAsync([Colored("r1", "red"), Colored("b1", "blue"), TestMessages.Text("plain"), Colored("r2", "red")]);

        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["r1", "r2"], deliveries.Select(d => TestMessages.TextOf(d.Message)));
    }

    [Fact]
    public async Task Filter_RejectedMessages_DoNotCountInBacklog_EvenBeforeAnyPull()
    {
        var (topic, subscription) = await NewAsync("color IN ('red', 'green')");
        await topic.PublishAsync([.. Enumerable.Range(0, 30).Select(i => Colored($"m{i}", i % 3 == 0 ? "red" : "blue"))]);

        var before = await subscription.GetStatsAsync();
        var deliveries = await subscription.PullAsync(100, NoWait);
        await subscription.AckAsync([.. deliveries.Select(d => d.AckId)]);
        var after = await subscription.GetStatsAsync();

        Assert.Equal(10, before.Backlog);
        Assert.Equal(10, deliveries.Count);
        Assert.Equal(0, after.Backlog);
        Assert.Null(after.OldestUnackedAge);
        Assert.Equal(31, after.AckFloor);
    }

    [Fact]
    public async Task Filter_SettledRejections_SurviveDeactivation()
    {
        var (topic, subscription) = await NewAsync("color = 'red'");
        await topic.PublishAsync([Colored("b1", "blue"), Colored("r1", "red"), Colored("b2", "blue")]);
        Assert.Equal(1, (await subscription.GetStatsAsync()).Backlog);

        await fixture.Cluster.DeactivateAsync(subscription);
        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["r1"], deliveries.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(1, (await subscription.GetStatsAsync()).Backlog);
    }

    [Fact]
    public async Task Filter_Malformed_IsRejectedAtCreate_AndRegistersNothing()
    {
        var name = ClusterFixture.NewName("f");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));

        var error = await Assert.ThrowsAsync<BrokerException>(() => subscription.CreateAsync(new SubscriptionSettings { Filter = "color = 'red' AND" }));

        Assert.Equal(ErrorCode.InvalidFilter, error.Code);
        Assert.Contains("position 18", error.Message, StringComparison.Ordinal);
        Assert.Empty(await topic.ListSubscriptionsAsync());
    }

    [Fact]
    public async Task Filter_MalformedUpdate_ChangesNothing()
    {
        var (topic, subscription) = await NewAsync("color = 'red'");

        var error = await Assert.ThrowsAsync<BrokerException>(() => subscription.UpdateAsync(new SubscriptionSettings { Filter = "color ==" }));
        await topic.PublishAsync([Colored("b", "blue"), Colored("r", "red")]);

        Assert.Equal(ErrorCode.InvalidFilter, error.Code);
        Assert.Equal("color = 'red'", (await subscription.GetAsync()).Settings.Filter);
        Assert.Equal(["r"], (await subscription.PullAsync(10, NoWait)).Select(d => TestMessages.TextOf(d.Message)));
    }

    [Fact]
    public async Task Filter_Update_AppliesToMessagesNotYetDelivered()
    {
        var (topic, subscription) = await NewAsync("color = 'red' OR color = 'blue'");
        await topic.PublishAsync([Colored("r1", "red"), Colored("b1", "blue"), Colored("r2", "red"), Colored("b2", "blue")]);
        var first = await subscription.PullAsync(1, NoWait);

        await subscription.UpdateAsync(new SubscriptionSettings { Filter = "color = 'blue'" });
        await topic.PublishAsync([Colored("r3", "red"), Colored("b3", "blue")]);
        var rest = new List<Delivery>();
        await Eventually.TrueAsync(async () =>
        {
            rest.AddRange(await subscription.PullAsync(10, NoWait));
            return rest.Count >= 3;
        }, "the three blue messages");

        Assert.Equal(["r1"], first.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(["b1", "b2", "b3"], rest.Select(d => TestMessages.TextOf(d.Message)));
        Assert.Equal(4, (await subscription.GetStatsAsync()).Backlog); // r1 and the blue ones, leased and unacked; r2 and r3 are settled
    }

    [Fact]
    public async Task Filter_OnSystemProperties_SelectsByContentTypeAndOrderingKey()
    {
        var (topic, subscription) = await NewAsync("sys.contentType LIKE 'application/%' AND sys.orderingKey IN ('k1', 'k2')");
        await topic.PublishAsync(
        [
            new OutgoingMessage("a", "{}"u8.ToArray(), "application/json", null, "k1"),
            new OutgoingMessage("b", "x"u8.ToArray(), "text/plain", null, "k1"),
            new OutgoingMessage("c", "{}"u8.ToArray(), "application/json", null, "k3"),
            new OutgoingMessage("d", "{}"u8.ToArray(), "application/xml", null, "k2"),
        ]);

        var deliveries = await subscription.PullAsync(10, NoWait);

        Assert.Equal(["a", "d"], deliveries.Select(d => d.Message.MessageId));
    }

    [Fact]
    public async Task Filter_PushConsumer_ReceivesOnlyMatchingMessages()
    {
        var (topic, subscription) = await NewAsync("color = 'red'");
        var observer = new RecordingObserver();
        var reference = fixture.Client.CreateObjectReference<IDeliveryObserver>(observer);
        await subscription.AttachAsync(new ConsumerRegistration("c1", reference, 10));

        await topic.PublishAsync([Colored("b1", "blue"), Colored("r1", "red"), Colored("b2", "blue"), Colored("r2", "red")]);

        await Eventually.TrueAsync(() => observer.Received.Count >= 2, "two red messages pushed");
        Assert.Equal(["r1", "r2"], observer.Received.Select(d => TestMessages.TextOf(d.Message)));
    }
}
