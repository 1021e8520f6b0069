using ActorMessaging.Contracts;
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

    private Task<HubTestClient> ConnectAsync(bool messagePack) =>
        messagePack ? HubTestClient.ConnectMessagePackAsync(Host.Address) : HubTestClient.ConnectAsync(Host.Address);
}
