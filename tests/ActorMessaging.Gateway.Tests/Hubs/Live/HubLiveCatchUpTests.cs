using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Hubs.Live;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 11, risk 5: when a lagging live subscriber's read of the topic's log failed, it jumped to the feed's head and
/// silently skipped messages the log still held. Reads are retried now; only what retention deleted is passed over,
/// and the subscriber is told with a <c>Gap</c> call in its place.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class HubLiveCatchUpTests(FaultsFixture fixture)
{
    // One batch larger than a maxInFlight-1 live subscriber queues (100 messages) makes it catch up from the log.
    private const int Lagging = 250;

    private GatewayHost Host => fixture.Host;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Live_CatchUpReadFailsTransiently_StillReceivesEveryMessageInOrder(bool messagePack)
    {
        var topic = await Host.CreateTopicAsync("catch-up");
        var grain = Host.Grains.GetGrain<ITopicGrain>(topic);
        var fault = fixture.Faults.Fail(grain, nameof(ITopicGrain.ReadAsync), () => new NpgsqlException("Connection refused"), times: 3);
        await using var client = await ConnectAsync(messagePack);
        await client.SubscribeAsync(topic, null, maxInFlight: 1);

        await client.PublishNumbersAsync(topic, Lagging);
        await client.WaitForAsync(Lagging);
        await client.PublishNumbersAsync(topic, 2, first: Lagging);
        await client.WaitForAsync(Lagging + 2, "the deliveries after the subscriber rejoined its feed");

        Assert.Equal(3, fault.Failed);
        Assert.Equal(Enumerable.Range(1, Lagging + 2).Select(i => (long)i), client.Received.Select(m => m.Sequence));
        Assert.Empty(client.Gaps);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Live_MessagesRetentionDeletedBeforeTheyWereRead_AreReportedAsAGap_InOrder(bool messagePack)
    {
        // Acked messages go and the topic has no subscriptions: retention deletes each batch right after its commit.
        var topic = HubGrains.NewName("gap");
        var grain = Host.Grains.GetGrain<ITopicGrain>(topic);
        await grain.CreateAsync(new TopicSettings { RetainAckedMessages = false });
        var fault = fixture.Faults.Fail(grain, nameof(ITopicGrain.ReadAsync), () => new TimeoutException("The log did not answer."));
        await using var client = await ConnectAsync(messagePack);
        var live = await client.SubscribeAsync(topic, null, maxInFlight: 1);

        // The subscriber lags, cannot read the log, and retention deletes what it has not read.
        await client.PublishNumbersAsync(topic, Lagging);
        await Eventually.TrueAsync(() => fault.Failed > 0, "the lagging subscriber's read of the log to fail");
        await Eventually.ValueAsync(grain.GetPositionAsync, p => p.FirstSequence > Lagging, "retention to delete the first batch");
        await client.PublishNumbersAsync(topic, 3, first: Lagging);
        fixture.Faults.Heal(grain, nameof(ITopicGrain.ReadAsync));
        await client.WaitForAsync(3);
        await client.PublishNumbersAsync(topic, 1, first: Lagging + 3);
        await client.WaitForAsync(4, "the delivery after the subscriber rejoined its feed");

        var gap = Assert.IsType<LiveGap>(client.Arrivals[0]);
        Assert.Equal((topic, live, 1L, Lagging + 1L), (gap.Topic, gap.Subscription, gap.FirstMissing, gap.NextAvailable));
        Assert.Equal(Enumerable.Range(Lagging + 1, 4).Select(i => (long)i), client.Arrivals.Skip(1).Cast<ReceivedMessage>().Select(m => m.Sequence));
    }

    [Fact]
    public async Task Live_FeedsReadOfMissedPushesFailsTransiently_StillDeliversThem()
    {
        var topic = await Host.CreateTopicAsync("feed-read");
        var grain = Host.Grains.GetGrain<ITopicGrain>(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, null);
        await client.PublishNumbersAsync(topic, 1);
        await client.WaitForAsync(1);

        // The topic forgets this gateway (as if it moved), so the feed reads the next messages back from the log.
        await grain.UnwatchLiveAsync(Feeds.Reference());
        await client.PublishNumbersAsync(topic, 3, first: 1);
        var fault = fixture.Faults.Fail(grain, nameof(ITopicGrain.ReadAsync), () => new NpgsqlException("Connection refused"), times: 2);
        await Feeds.RenewAllAsync(onlyFailed: false, CancellationToken.None);

        // Without a retry the feed waited for the next renewal, 20 s later.
        await client.WaitForAsync(4, "the missed messages, read back after two failed reads", TimeSpan.FromSeconds(10));
        Assert.Equal(2, fault.Failed);
        Assert.Equal([1L, 2, 3, 4], client.Received.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Live_MissedPushesRetentionDeleted_AreReportedAsAGap_ToEverySubscriber()
    {
        var topic = HubGrains.NewName("feed-gap");
        var grain = Host.Grains.GetGrain<ITopicGrain>(topic);
        await grain.CreateAsync(new TopicSettings { RetainAckedMessages = false });
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var first = await client.SubscribeAsync(topic, null);
        var second = await client.SubscribeAsync(topic, null);

        // The topic forgets this gateway, and retention deletes what it published meanwhile before the feed reads it.
        await grain.UnwatchLiveAsync(Feeds.Reference());
        await client.PublishNumbersAsync(topic, 3);
        await Eventually.ValueAsync(grain.GetPositionAsync, p => p.FirstSequence > 3, "retention to delete the missed messages");
        await Feeds.RenewAllAsync(onlyFailed: false, CancellationToken.None);
        await client.PublishNumbersAsync(topic, 1, first: 3);
        await client.WaitForAsync(2);

        foreach (var live in new[] { first, second })
        {
            var arrivals = client.Arrivals.Where(a => a is LiveGap g ? g.Subscription == live : ((ReceivedMessage)a).Subscription == live).ToList();
            var gap = Assert.IsType<LiveGap>(arrivals[0]);
            Assert.Equal((topic, 1L, 4L), (gap.Topic, gap.FirstMissing, gap.NextAvailable));
            Assert.Equal([4L], arrivals.Skip(1).Cast<ReceivedMessage>().Select(m => m.Sequence));
        }
    }

    private LiveFeeds Feeds => Host.Services.GetRequiredService<LiveFeeds>();

    private Task<HubTestClient> ConnectAsync(bool messagePack) =>
        messagePack ? HubTestClient.ConnectMessagePackAsync(Host.Address) : HubTestClient.ConnectAsync(Host.Address);
}
