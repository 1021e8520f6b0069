using System.Text;
using ActorMessaging.Grains.Directory;
using ActorMessaging.Grains.Topics;

namespace ActorMessaging.Grains.Tests.Topics;

/// <summary>
/// Issue 17: the topic's timer runs only when something is due (a checkpoint, a retention pass, a probe for someone
/// who asked where the log ends), so an idle topic costs nothing. Grain timers run on the system clock, not on the
/// fake broker clock: these tests wait for them with deadlines.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TopicGrainCheckpointTests(ClusterFixture fixture) : IDisposable
{
    private readonly GrainTimers _timers = new();

    [Fact]
    public async Task Topic_HasATimerOnlyWhileSomethingIsDue_AndOnceCheckpointedTicksNoMore()
    {
        var topic = await fixture.NewTopicAsync();
        Assert.Equal(0, _timers.Live(topic.GetGrainId()));

        await topic.PublishAsync([TestMessages.Text("kept for a week")]);
        await Eventually.TrueAsync(
            async () => (await fixture.StateStorage.ReadStoredAsync<TopicState>(TopicRecords.StateName, topic.GetGrainId())).CheckpointChunk == 0,
            "the head to be checkpointed");
        var ticks = _timers.Ticks(topic.GetGrainId());

        // The timer used to tick every 5 s, checkpoint or not: longer than that passes without a tick.
        await _timers.RunForAsync(await fixture.TickingSubscriptionAsync(), seconds: 6);
        Assert.Equal(ticks, _timers.Ticks(topic.GetGrainId()));
    }

    [Fact]
    public async Task IdleTopic_DeletesWhatPassedTheRetention_WhenRead_WithoutAPublish()
    {
        var topic = await fixture.NewTopicAsync(new TopicSettings { Retention = TopicSettings.MinRetention });
        await topic.PublishAsync([TestMessages.Text("old")]);

        fixture.Time.Advance(TopicSettings.MinRetention * 2);

        var position = await Eventually.ValueAsync(topic.GetPositionAsync, p => p.FirstSequence == 2, "the expired chunk to be deleted");
        Assert.Equal(2, position.NextSequence);
        Assert.Empty(await topic.ReadAllAsync());
    }

    [Fact]
    public async Task TopicWithoutATimer_ProbesWhenAskedWhereItsLogEnds_AndFindsAChunkAnotherActivationWrote()
    {
        var topic = await fixture.NewTopicAsync();
        var log = await TopicLog.OfAsync(fixture, topic);
        Assert.Equal(0, _timers.Live(topic.GetGrainId()));

        await log.WriteAsync(0, [new StoredMessage(1, fixture.Time.GetUtcNow(), "elsewhere", Encoding.UTF8.GetBytes("elsewhere"), null, null, null)]);

        await Eventually.ValueAsync(PositionRetryingAsync(topic), p => p.NextSequence == 2, "the topic to find the chunk written elsewhere");
        Assert.Equal(2, (await topic.PublishRetryingAsync(TestMessages.Text("after"))).Outcomes.Single().Sequence);
    }

    public void Dispose() => _timers.Dispose();

    // The activation that found the chunk refuses nothing, but the next one may still be loading.
    private static Func<Task<TopicPosition>> PositionRetryingAsync(ITopicGrain topic) => async () =>
    {
        try
        {
            return await topic.GetPositionAsync();
        }
        catch (BrokerException exception) when (exception.IsTransient)
        {
            return new TopicPosition(0, 0);
        }
    };
}
