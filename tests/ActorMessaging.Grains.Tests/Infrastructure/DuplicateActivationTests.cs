using System.Text;
using ActorMessaging.Grains.Subscriptions;
using ActorMessaging.Grains.Topics;

namespace ActorMessaging.Grains.Tests.Infrastructure;

/// <summary>
/// What a grain does when another activation of it writes the same storage (Orleans can run two during a membership
/// change: a frozen or cut-off silo keeps its activations while the rest of the cluster starts new ones), and when a
/// storage call fails. Each test pins one of the risks of issue 11 and fails on the code before its fix.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DuplicateActivationTests(ClusterFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;

    private async Task<ITopicGrain> NewTopicAsync()
    {
        var topic = fixture.Grains.GetGrain<ITopicGrain>(ClusterFixture.NewName("fence"));
        await topic.CreateAsync(new TopicSettings());
        return topic;
    }

    private StoredMessage Stored(long sequence, string text) =>
        new(sequence, fixture.Time.GetUtcNow(), $"old-{sequence}", Encoding.UTF8.GetBytes(text), null, null, null);

    // Risk 1: head recovery deleted chunks past the first gap, one of which an older activation could still confirm.
    [Fact]
    public async Task Recovery_KeepsAChunkPastAGap_ThatAnOlderActivationStillConfirms()
    {
        var topic = await NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("one")]);
        var log = await TopicLog.OfAsync(fixture, topic);

        // The older activation has two writes in flight: chunk 2 has landed, chunk 1 not yet. A new activation starts.
        await log.WriteAsync(2, [Stored(3, "old-3")]);
        await fixture.Cluster.DeactivateAsync(topic);
        await topic.GetPositionAsync();

        // Chunk 1 lands: the older activation confirms sequences 2 and 3 to its publishers.
        await log.WriteAsync(1, [Stored(2, "old-2")]);
        Assert.NotNull(await log.ReadAsync(2));

        // The new activation's own write of chunk 1 fails; reloaded, it continues after what the older one confirmed.
        var next = await topic.PublishRetryingAsync(TestMessages.Text("new"));
        Assert.Equal(4, next.Outcomes.Single().Sequence);
        var all = await topic.ReadAllAsync();
        Assert.Equal(["one", "old-2", "old-3", "new"], all.Select(TestMessages.TextOf));
        Assert.Equal([1L, 2, 3, 4], all.Select(m => m.Sequence));
    }

    // Risk 1, the other side: an activation whose head is idle learns of chunks another activation wrote after it.
    [Fact]
    public async Task IdleTopic_FindsAChunkAnotherActivationWroteAfterItsHead_AndReadsIt()
    {
        var topic = await NewTopicAsync();
        await topic.PublishAsync([TestMessages.Text("one")]);
        var log = await TopicLog.OfAsync(fixture, topic);

        await log.WriteAsync(1, [Stored(2, "elsewhere")]);

        await Eventually.TrueAsync(async () => await TryReadAllAsync(topic) is { Count: 2 }, "the topic to read the chunk written elsewhere", TimeSpan.FromSeconds(30));
        Assert.Equal(3, (await topic.PublishRetryingAsync(TestMessages.Text("three"))).Outcomes.Single().Sequence);
    }

    // Risk 2 (topic): a stale ETag made every later checkpoint fail while the activation went on.
    [Fact]
    public async Task Topic_WhoseStateAnotherActivationWrote_Reloads_AndCheckpointsAgain()
    {
        var topic = await NewTopicAsync();
        for (var i = 0; i < 3; i++)
        {
            await topic.PublishAsync([TestMessages.Text($"m{i}")]);
        }

        await fixture.StateStorage.WriteAsAnotherActivationAsync<TopicState>("topic", topic.GetGrainId());

        await Eventually.TrueAsync(async () =>
        {
            await topic.GetPositionAsync();
            return (await fixture.StateStorage.ReadStoredAsync<TopicState>("topic", topic.GetGrainId())).CheckpointChunk == 2;
        }, "the checkpoint to reach the head", TimeSpan.FromSeconds(40));
        Assert.Equal(4, (await topic.PublishRetryingAsync(TestMessages.Text("after"))).Outcomes.Single().Sequence);
    }

    // Risk 2 (subscription): after one stale-ETag write acks kept answering success and the durable floor froze.
    [Fact]
    public async Task Subscription_WhoseStateAnotherActivationWrote_Reloads_RedeliversWhatItCouldNotSave_AndSavesAgain()
    {
        var topic = await NewTopicAsync();
        await topic.PublishAsync(TestMessages.Many(3));
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic.GetPrimaryKeyString(), "sub"));
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        var first = await subscription.PullUntilAsync(3);

        await fixture.StateStorage.WriteAsAnotherActivationAsync<SubscriptionState>("subscription", subscription.GetGrainId());
        await subscription.AckAsync([.. first.Select(d => d.AckId)]);

        var redelivered = new List<Delivery>();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var again = await subscription.PullAsync(10, NoWait);
                redelivered.AddRange(again);
                if (again.Count > 0)
                {
                    await subscription.AckAsync([.. again.Select(d => d.AckId)]);
                }
            }
            catch (BrokerException exception) when (exception.IsTransient)
            {
                // The discarded activation refuses calls until the next one has loaded.
            }

            return (await fixture.StateStorage.ReadStoredAsync<SubscriptionState>("subscription", subscription.GetGrainId())).AckFloor == 4;
        }, "the durable ack floor to move past the three messages");
        Assert.Equal([1L, 2, 3], redelivered.Select(d => d.Message.Sequence).Distinct().Order());
    }

    // Risk 3: a failed read of the duplicate index stuck, failing every later publish with a message id.
    [Fact]
    public async Task Publish_AfterTheDuplicateIndexFailedToLoad_LoadsItAgain()
    {
        var topic = await NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync([TestMessages.Text("a", id: "a")]);
        await fixture.Cluster.DeactivateAsync(topic);
        await topic.GetAsync();

        fixture.LogStorage.FailNextReadOf = $"{name}/";
        var error = await Assert.ThrowsAsync<BrokerException>(() => topic.PublishAsync([TestMessages.Text("b", id: "b")]));
        Assert.Equal(ErrorCode.StorageUnavailable, error.Code);

        var again = await topic.PublishAsync([TestMessages.Text("a", id: "a")]);
        Assert.Equal(new PublishOutcome(1, Duplicate: true), again.Outcomes.Single());
    }

    // Risk 6: attaching awaited the topic's watch inside the subscription's turn, so a topic on a silo that did not
    // answer held attaches, extensions and nacks for the whole response timeout.
    [Fact]
    public async Task AttachAndExtend_DoNotWaitForATopicThatDoesNotAnswer()
    {
        var topic = await NewTopicAsync();
        var name = topic.GetPrimaryKeyString();
        await topic.PublishAsync(TestMessages.Many(2));
        var subscription = fixture.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(name, "sub"));
        await subscription.CreateAsync(new SubscriptionSettings { StartAt = StartPosition.Earliest });
        var leased = await subscription.PullUntilAsync(1);

        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await fixture.Cluster.DeactivateAsync(topic);
        fixture.LogStorage.HeldReads[$"{name}/"] = held;
        try
        {
            var reference = fixture.Client.CreateObjectReference<IDeliveryObserver>(new RecordingObserver());
            await subscription.AttachAsync(new ConsumerRegistration("c1", reference, MaxInFlight: 1)).WaitAsync(TimeSpan.FromSeconds(10));
            var extended = await subscription.ExtendAsync([leased[0].AckId], TimeSpan.FromSeconds(30)).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Empty(extended.Failures);
        }
        finally
        {
            fixture.LogStorage.HeldReads.TryRemove($"{name}/", out _);
            held.SetResult();
        }
    }

    private static async Task<List<StoredMessage>?> TryReadAllAsync(ITopicGrain topic)
    {
        try
        {
            return await topic.ReadAllAsync();
        }
        catch (BrokerException exception) when (exception.IsTransient)
        {
            return null;
        }
    }
}
