namespace ActorMessaging.Grains.Tests.Directory;

/// <summary>Listing topics through the directory: by prefix, in pages.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicDirectoryGrainTests(ClusterFixture fixture)
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
}
