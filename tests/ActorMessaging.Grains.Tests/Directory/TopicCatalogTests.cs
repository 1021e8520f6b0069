namespace ActorMessaging.Grains.Tests.Directory;

/// <summary>Listing topics from the catalog: by prefix, in pages; a topic is listed exactly while it exists.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicCatalogTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ListTopics_FiltersByPrefix_AndPagesInOrder()
    {
        var prefix = ClusterFixture.NewName("list") + ".";
        var names = Enumerable.Range(0, 25).Select(i => $"{prefix}{i:D2}").ToList();
        await Task.WhenAll(names.Select(n => fixture.Grains.GetGrain<ITopicGrain>(n).CreateAsync(new TopicSettings())));
        await fixture.Grains.GetGrain<ITopicGrain>(ClusterFixture.NewName("other")).CreateAsync(new TopicSettings());

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await fixture.Grains.ListTopicsAsync(prefix, 10, token);
            seen.AddRange(page.Names);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(names, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ListTopics_WithBadPageSizeOrToken_FailsWithInvalidArgument()
    {
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => fixture.Grains.ListTopicsAsync(null, 0, null))).Code);
        Assert.Equal(ErrorCode.InvalidArgument, (await Assert.ThrowsAsync<BrokerException>(() => fixture.Grains.ListTopicsAsync(null, 10, "!!not-base64!!"))).Code);
    }

    [Fact]
    public async Task DeletedTopic_IsNotListed_AndCreatedAgain_IsListed_WithAnEmptyLog_EvenIfItsPredecessorsChunksRemain()
    {
        var prefix = ClusterFixture.NewName("gone") + ".";
        var topic = fixture.Grains.GetGrain<ITopicGrain>(prefix + "t");
        await topic.CreateAsync(new TopicSettings());
        await topic.PublishAsync([TestMessages.Text("old")]);
        var predecessor = await TopicLog.OfAsync(fixture, topic);

        await topic.DeleteAsync();
        Assert.Empty((await fixture.Grains.ListTopicsAsync(prefix, 10, null)).Names);

        // A chunk its cleanup missed (say the silo stopped mid-delete): the new topic must not read it.
        await predecessor.WriteAsync(0, [new StoredMessage(1, fixture.Time.GetUtcNow(), null, "left behind"u8.ToArray(), null, null, null)]);
        await topic.CreateAsync(new TopicSettings());
        Assert.Equal([prefix + "t"], (await fixture.Grains.ListTopicsAsync(prefix, 10, null)).Names);
        await topic.PublishAsync([TestMessages.Text("new")]);
        Assert.Equal(["new"], (await topic.ReadAllAsync()).Select(TestMessages.TextOf));
    }

    [Fact]
    public async Task FailedCreate_LeavesTheTopicUnlisted_AndRetryingListsIt()
    {
        var name = ClusterFixture.NewName("failed-create");
        var topic = fixture.Grains.GetGrain<ITopicGrain>(name);
        fixture.StateStorage.For(topic.GetGrainId()).FailNext();
        await Assert.ThrowsAsync<BrokerException>(() => topic.CreateAsync(new TopicSettings()));
        Assert.Empty((await fixture.Grains.ListTopicsAsync(name, 10, null)).Names);

        await topic.CreateAsync(new TopicSettings());
        Assert.Equal([name], (await fixture.Grains.ListTopicsAsync(name, 10, null)).Names);
    }
}
