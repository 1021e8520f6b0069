using ActorMessaging.Grains.Subscriptions;

namespace ActorMessaging.Grains.Tests.Subscriptions;

[Collection(ClusterCollection.Name)]
public sealed class SubscriptionGrainDeadLetterTopicTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<(ITopicGrain Topic, ISubscriptionGrain Subscription, ISubscriptionGrain DeadLetterReader)> NewAsync(Func<string, SubscriptionSettings> settings)
    {
        var name = ClusterFixture.NewName("src");
        var deadLetterTopic = ClusterFixture.NewName("dlt");
        await fixture.Grains.GetGrain<ITopicGrain>(deadLetterTopic).CreateAsync(new TopicSettings());
        var reader = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(deadLetterTopic, "reader"));
        await reader.CreateAsync(new SubscriptionSettings());
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        await topic.CreateAsync(new TopicSettings());
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(settings(deadLetterTopic));
        return (topic, subscription, reader);
    }

    [Fact]
    public async Task ExhaustedMessage_IsPublishedToTheDeadLetterTopic_WithSourceReasonAndAttempts()
    {
        var (topic, subscription, reader) = await NewAsync(dlt => new SubscriptionSettings { StartAt = StartPosition.Earliest, MaxDeliveryAttempts = 2, MinBackoff = TimeSpan.Zero, DeadLetterTopic = dlt });
        await topic.PublishAsync([TestMessages.Text("poison", attributes: new Dictionary<string, string> { ["kind"] = "bad" }) with { OrderingKey = "k" }]);

        for (var attempt = 0; attempt < 2; attempt++)
        {
            var delivery = Assert.Single(await subscription.PullAsync(10, NoWait));
            await subscription.NackAsync([delivery.AckId], TimeSpan.Zero);
        }

        var forwarded = Assert.Single(await Eventually.ValueAsync(() => reader.PullAsync(10, NoWait), d => d.Count > 0, "the message on the dead-letter topic"));
        var attributes = forwarded.Message.Attributes!;
        Assert.Equal("poison", TestMessages.TextOf(forwarded.Message));
        Assert.Equal("bad", attributes["kind"]);
        Assert.Equal(SubscriptionKey.Parse(subscription.GetPrimaryKeyString()).Topic, attributes[SubscriptionGrain.SourceTopicAttribute]);
        Assert.Equal("sub", attributes[SubscriptionGrain.SourceSubscriptionAttribute]);
        Assert.Equal("1", attributes[SubscriptionGrain.SourceSequenceAttribute]);
        Assert.Equal(DeadLetterReasons.MaxDeliveryAttempts, attributes[SubscriptionGrain.ReasonAttribute]);
        Assert.Equal("2", attributes[SubscriptionGrain.AttemptsAttribute]);
        Assert.Equal("k", forwarded.Message.OrderingKey);
        var stats = await subscription.GetStatsAsync();
        Assert.Equal((0L, 0), (stats.Backlog, stats.DeadLettered));
    }

    [Fact]
    public async Task ExpiredMessage_IsPublishedWithReasonExpired()
    {
        var (topic, _, reader) = await NewAsync(dlt => new SubscriptionSettings { StartAt = StartPosition.Earliest, DeadLetterExpired = true, DeadLetterTopic = dlt });
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic.GetPrimaryKeyString(), "sub"));
        await topic.PublishAsync([TestMessages.Text("stale") with { TimeToLive = TimeSpan.FromSeconds(1) }]);

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(await subscription.PullAsync(10, NoWait));
        var forwarded = Assert.Single(await Eventually.ValueAsync(() => reader.PullAsync(10, NoWait), d => d.Count > 0, "the expired message on the dead-letter topic"));

        Assert.Equal(DeadLetterReasons.Expired, forwarded.Message.Attributes![SubscriptionGrain.ReasonAttribute]);
        Assert.Equal("0", forwarded.Message.Attributes[SubscriptionGrain.AttemptsAttribute]);
    }

    [Fact]
    public async Task DeadLetterTopic_ThatIsMissing_OrItsOwnTopic_OrWithoutDeadLettering_FailsWithInvalidSetting()
    {
        var name = ClusterFixture.NewName("src");
        await fixture.Grains.GetGrain<ITopicGrain>(name).CreateAsync(new TopicSettings());
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));

        var missing = await Assert.ThrowsAsync<BrokerException>(() => subscription.CreateAsync(new SubscriptionSettings { DeadLetterTopic = ClusterFixture.NewName("none") }));
        var own = await Assert.ThrowsAsync<BrokerException>(() => subscription.CreateAsync(new SubscriptionSettings { DeadLetterTopic = name }));
        var off = await Assert.ThrowsAsync<BrokerException>(() => subscription.CreateAsync(new SubscriptionSettings { DeadLetterTopic = "x", DeadLettering = false }));

        Assert.All([missing, own, off], e => Assert.Equal(ErrorCode.InvalidSetting, e.Code));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Empty(await fixture.Grains.GetGrain<ITopicGrain>(name).ListSubscriptionsAsync());
    }
}
