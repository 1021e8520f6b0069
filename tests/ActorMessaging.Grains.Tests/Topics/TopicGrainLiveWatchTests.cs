namespace ActorMessaging.Grains.Tests.Topics;

[Collection(ClusterCollection.Name)]
public sealed class TopicGrainLiveWatchTests(ClusterFixture fixture)
{
    [Fact]
    public async Task WatchLive_SendsEachDurableBatchOnce_AndReturnsWhereTheLogEnds()
    {
        var topic = await NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("before")]);
        var observer = new RecordingLiveObserver();
        var reference = fixture.Grains.CreateObjectReference<ILiveTopicObserver>(observer);

        var position = await topic.WatchLiveAsync(reference);
        await topic.PublishAsync([TestMessages.Text("a"), TestMessages.Text("b")]);
        await topic.PublishAsync([TestMessages.Text("c")]);

        Assert.Equal(2, position.NextSequence);
        await Eventually.TrueAsync(() => observer.Received.Count == 3, "three messages at the observer");
        // One-way calls may arrive in any order; the gateway orders by sequence (and reads back gaps).
        var received = observer.Received.OrderBy(m => m.Sequence).ToList();
        Assert.Equal(["a", "b", "c"], received.Select(TestMessages.TextOf));
        Assert.Equal([2L, 3, 4], received.Select(m => m.Sequence));
    }

    [Fact]
    public async Task UnwatchLive_AndAnExpiredRegistration_StopTheSends()
    {
        var topic = await NewTopicAsync();
        var unwatched = new RecordingLiveObserver();
        var expired = new RecordingLiveObserver();
        var renewed = new RecordingLiveObserver();
        var unwatchedReference = fixture.Grains.CreateObjectReference<ILiveTopicObserver>(unwatched);
        var expiredReference = fixture.Grains.CreateObjectReference<ILiveTopicObserver>(expired);
        var renewedReference = fixture.Grains.CreateObjectReference<ILiveTopicObserver>(renewed);
        await topic.WatchLiveAsync(unwatchedReference);
        await topic.WatchLiveAsync(expiredReference);
        await topic.WatchLiveAsync(renewedReference);

        await topic.UnwatchLiveAsync(unwatchedReference);
        fixture.Time.Advance(TimeSpan.FromSeconds(40));
        await topic.WatchLiveAsync(renewedReference);
        fixture.Time.Advance(TimeSpan.FromSeconds(21));
        await topic.PublishAsync([TestMessages.Text("late")]);

        // Sends to one topic's observers go out in one turn, so once the renewed one has it, the others were skipped.
        await Eventually.TrueAsync(() => renewed.Received.Count == 1, "the renewed observer to get the message");
        Assert.Empty(unwatched.Received);
        Assert.Empty(expired.Received);
    }

    [Fact]
    public async Task WatchLive_OnAMissingTopic_FailsWithTopicNotFound_AndDeleteTellsTheObserver()
    {
        var observer = new RecordingLiveObserver();
        var reference = fixture.Grains.CreateObjectReference<ILiveTopicObserver>(observer);
        var missing = fixture.Grains.GetGrain<ITopicGrain>(ClusterFixture.NewName("missing"));

        var error = await Assert.ThrowsAsync<BrokerException>(() => missing.WatchLiveAsync(reference));
        Assert.Equal(ErrorCode.TopicNotFound, error.Code);

        var topic = await NewTopicAsync();
        await topic.WatchLiveAsync(reference);
        await topic.DeleteAsync();
        await Eventually.TrueAsync(() => observer.DeletedTopics.Contains(topic.GetPrimaryKeyString()), "the observer to hear of the deletion");
    }

    private async Task<ITopicGrain> NewTopicAsync()
    {
        var topic = fixture.Grains.GetGrain<ITopicGrain>(ClusterFixture.NewName("live"));
        await topic.CreateAsync(new TopicSettings());
        return topic;
    }
}
