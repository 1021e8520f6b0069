using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The hub's <c>Seek(topic, subscription, {sequence | time})</c>, which mirrors the HTTP seek.</summary>
[Collection(HubCollection.Name)]
public sealed class HubSeekTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    private static Task<SubscriptionDescription> SeekAsync(HubTestClient client, string topic, string subscription, object? target) =>
        client.Connection.InvokeAsync<SubscriptionDescription>("Seek", topic, subscription, target);

    private async Task<(string Topic, string Subscription)> SubscriptionWithMessagesAsync(HubTestClient client, int count, StartPosition startAt = StartPosition.Earliest)
    {
        var topic = await Host.CreateTopicAsync("seek");
        await client.PublishNumbersAsync(topic, count);
        var subscription = await Host.CreateSubscriptionAsync(topic, settings: new SubscriptionSettings { StartAt = startAt });
        return (topic, subscription);
    }

    [Fact]
    public async Task Seek_ToASequence_RedeliversFromThereToTheAttachedConnection_AndEndsTheLeasesItHad()
    {
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var (topic, subscription) = await SubscriptionWithMessagesAsync(client, 4);
        await client.SubscribeAsync(topic, subscription);
        await client.WaitForAsync(4);
        var before = client.Received.ToList();

        var description = await SeekAsync(client, topic, subscription, new { sequence = 3L });

        Assert.Equal((topic, subscription), (description.Topic, description.Name));
        Assert.Equal(2, description.Stats.Backlog);
        await client.WaitForAsync(6, "the redelivery from sequence 3");
        var again = client.Received.Skip(4).ToList();
        Assert.Equal([3L, 4], again.Select(m => m.Sequence));
        Assert.All(again, m => Assert.Equal(1, m.DeliveryAttempt));

        // The leases handed out before the seek ended with it: their ack ids no longer apply.
        var stale = await client.AckAsync(topic, subscription, before.Select(m => m.AckId));
        Assert.Equal(before.Select(m => m.AckId).Order(), stale.Select(f => f.AckId).Order());
        Assert.Empty(await client.AckAsync(topic, subscription, again.Select(m => m.AckId)));
        await Eventually.TrueAsync(async () => (await Host.StatsAsync(topic, subscription)).Backlog == 0, "the backlog to empty");
        Assert.Equal(6, client.Received.Count);
    }

    [Fact]
    public async Task Seek_ToATime_ReplaysFromTheFirstMessagePublishedThen()
    {
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var (topic, subscription) = await SubscriptionWithMessagesAsync(client, 2, StartPosition.Latest);
        client.AutoAck(topic, subscription);
        await client.SubscribeAsync(topic, subscription);

        var description = await SeekAsync(client, topic, subscription, new { time = DateTimeOffset.UtcNow.AddMinutes(-5) });

        Assert.Equal(2, description.Stats.Backlog);
        await client.WaitForAsync(2, "the replayed messages");
        Assert.Equal([1L, 2], client.Received.Select(m => m.Sequence));
    }

    [Fact]
    public async Task Seek_ToTheNextSequence_SkipsEverythingPublishedSoFar()
    {
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var (topic, subscription) = await SubscriptionWithMessagesAsync(client, 3);

        var description = await SeekAsync(client, topic, subscription, new { sequence = 4L });
        await client.SubscribeAsync(topic, subscription);
        await client.PublishNumbersAsync(topic, 1, first: 3);

        Assert.Equal(0, description.Stats.Backlog);
        await client.WaitForAsync(1);
        Assert.Equal([4L], client.Received.Select(m => m.Sequence));
    }

    public static TheoryData<object?, string> InvalidTargets() => new()
    {
        { new { sequence = 99L }, "Sequence 99 is not retained" },
        { new { time = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero) }, "outside the retention" },
        { new { sequence = 1L, time = DateTimeOffset.UtcNow }, "exactly one of" },
        { new { }, "exactly one of" },
        { null, "exactly one of" },
    };

    [Theory]
    [MemberData(nameof(InvalidTargets))]
    public async Task Seek_Invalid_IsInvalidArgument_AndMovesNothing(object? target, string detail)
    {
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var (topic, subscription) = await SubscriptionWithMessagesAsync(client, 2, StartPosition.Latest);

        var error = await Assert.ThrowsAsync<HubException>(() => SeekAsync(client, topic, subscription, target));

        Assert.StartsWith("1007 InvalidArgument: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await Host.StatsAsync(topic, subscription)).Backlog);
    }

    [Fact]
    public async Task Seek_UnknownSubscription_OrALiveOne_IsATypedError()
    {
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var topic = await Host.CreateTopicAsync("seek");
        var live = await client.SubscribeAsync(topic, null);

        var unknown = await Assert.ThrowsAsync<HubException>(() => SeekAsync(client, topic, "no-such-subscription", new { sequence = 1L }));
        var ofLive = await Assert.ThrowsAsync<HubException>(() => SeekAsync(client, topic, live, new { sequence = 1L }));
        var badName = await Assert.ThrowsAsync<HubException>(() => SeekAsync(client, topic, "bad/name", new { sequence = 1L }));

        Assert.StartsWith("2002 SubscriptionNotFound: ", unknown.Message, StringComparison.Ordinal);
        Assert.StartsWith("1007 InvalidArgument: Live subscription", ofLive.Message, StringComparison.Ordinal);
        Assert.StartsWith("1001 InvalidName: ", badName.Message, StringComparison.Ordinal);
    }
}
