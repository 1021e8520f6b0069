namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>Reloading the log after deactivation: where sequences continue, which chunks count, and reads that find their chunk.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicGrainRecoveryTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Recovery_LeavesAChunkPastAGap_AndTheWriteThatMeetsItReloads_WhichRemovesItAsOrphaned()
    {
        var topic = await fixture.NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("one")]);

        // A pipelined write that landed while the one before it did not: chunk 2 exists, chunk 1 does not. Its first
        // sequence does not follow chunk 1 as it will be written, so once chunk 1 exists it is provably orphaned.
        var store = await TopicLog.OfAsync(fixture, topic);
        await store.WriteAsync(2, [new StoredMessage(50, fixture.Time.GetUtcNow(), null, new byte[] { 9 }, null, null, null)]);
        await fixture.Cluster.DeactivateAsync(topic);

        await topic.PublishAsync([TestMessages.Text("two")]);
        await topic.PublishRetryingAsync(TestMessages.Text("three"));

        var all = await topic.ReadAllAsync();
        Assert.Equal(["one", "two", "three"], all.Select(TestMessages.TextOf));
        Assert.Equal([1L, 2, 3], all.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Recovery_IgnoresAChunkThatDoesNotContinueTheLog()
    {
        var topic = await fixture.NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("one")]);

        var store = await TopicLog.OfAsync(fixture, topic);
        await store.WriteAsync(1, [new StoredMessage(50, fixture.Time.GetUtcNow(), null, new byte[] { 9 }, null, null, null)]);
        await fixture.Cluster.DeactivateAsync(topic);

        Assert.Equal(2, (await topic.PublishAsync([TestMessages.Text("two")])).Outcomes.Single().Sequence);
        Assert.Equal(["one", "two"], (await topic.ReadAllAsync()).Select(TestMessages.TextOf));
    }

    [Fact]
    public async Task Log_SurvivesDeactivation_AndSequencesContinue()
    {
        var topic = await fixture.NewTopicAsync();
        for (var i = 0; i < 5; i++)
        {
            await topic.PublishAsync(TestMessages.Many(3, $"b{i}-"));
        }

        await fixture.Cluster.DeactivateAsync(topic);
        var after = await topic.PublishAsync([TestMessages.Text("after")]);

        Assert.Equal(16, after.Outcomes.Single().Sequence);
        var all = await topic.ReadAllAsync();
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), all.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Read_FromTheMiddle_AfterReactivation_FindsTheRightChunk()
    {
        var topic = await fixture.NewTopicAsync();
        for (var i = 0; i < 20; i++)
        {
            await topic.PublishAsync(TestMessages.Many(5, $"c{i}-"));
        }

        await fixture.Cluster.DeactivateAsync(topic);
        var read = await topic.ReadAsync(43, 4);

        Assert.Equal([43L, 44, 45, 46], read.Messages.Select(m => m.Sequence));
        Assert.Equal(["c8-2", "c8-3", "c8-4", "c9-0"], read.Messages.Select(TestMessages.TextOf));
        Assert.Equal(47, read.NextSequence);
    }
}
