namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>Duplicate detection by message id within the topic's dedup window.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicGrainDeduplicationTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Publish_SameMessageIdWithinWindow_IsDuplicate_WithOriginalSequence()
    {
        var topic = await fixture.NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("first", id: "order-1")]);

        var again = await topic.PublishAsync([TestMessages.Text("other", id: "x"), TestMessages.Text("retry", id: "order-1")]);

        Assert.Equal(new PublishOutcome(2, false), again.Outcomes[0]);
        Assert.Equal(new PublishOutcome(1, true), again.Outcomes[1]);
        var stored = (await topic.ReadAsync(1, 10)).Messages;
        Assert.Equal(["first", "other"], stored.Select(TestMessages.TextOf));
    }

    [Fact]
    public async Task Publish_DuplicateInsideOneBatch_IsStoredOnce()
    {
        var topic = await fixture.NewTopicAsync();

        var result = await topic.PublishAsync([TestMessages.Text("a", id: "same"), TestMessages.Text("b", id: "same")]);

        Assert.Equal([new PublishOutcome(1, false), new PublishOutcome(1, true)], result.Outcomes);
        Assert.Single((await topic.ReadAsync(1, 10)).Messages);
    }

    [Fact]
    public async Task Publish_SameMessageIdAfterWindow_IsStoredAgain()
    {
        var topic = await fixture.NewTopicAsync(new TopicSettings { DedupWindow = TimeSpan.FromMinutes(1) });
        await topic.PublishAsync([TestMessages.Text("first", id: "order-1")]);

        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        var again = await topic.PublishAsync([TestMessages.Text("again", id: "order-1")]);

        Assert.Equal(new PublishOutcome(2, false), Assert.Single(again.Outcomes));
    }

    [Fact]
    public async Task Publish_DuplicateDetection_SurvivesDeactivation()
    {
        var topic = await fixture.NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("first", id: "order-1")]);

        await fixture.Cluster.DeactivateAsync(topic);
        var again = await topic.PublishAsync([TestMessages.Text("retry", id: "order-1")]);

        Assert.Equal(new PublishOutcome(1, true), Assert.Single(again.Outcomes));
    }

    [Fact]
    public async Task Publish_WithDedupWindowZero_StoresEveryCopy()
    {
        var topic = await fixture.NewTopicAsync(new TopicSettings { DedupWindow = TimeSpan.Zero });

        var result = await topic.PublishAsync([TestMessages.Text("a", id: "same"), TestMessages.Text("b", id: "same")]);

        Assert.Equal([1L, 2], result.Outcomes.Select(o => o.Sequence));
    }
}
