using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The hub over the MessagePack protocol, end to end with the stock .NET client: the JSON protocol's calls, shapes and errors, payloads as binary.</summary>
[Collection(HubCollection.Name)]
public sealed class HubMessagePackTests(HubFixture fixture)
{
    private static readonly byte[] Binary = [0, 1, 2, 254, 255];

    private GatewayHost Host => fixture.Host;

    private static JsonElement Json(string text) => JsonSerializer.Deserialize<JsonElement>(text);

    [Fact]
    public async Task Publish_BinaryAndJson_StoresThem_AndReturnsSequencesAndDuplicates()
    {
        var topic = await Host.CreateTopicAsync("mp");
        await using var client = await HubTestClient.ConnectMessagePackAsync(Host.Address);

        var first = await client.PublishAsync(
            topic,
            new { id = "a", data = new { greeting = "héllo ✓", n = 5_000_000_000L }, attributes = new Dictionary<string, string> { ["k"] = "v" }, orderingKey = "o1" },
            new { id = "b", data = Binary, contentType = "image/png" },
            new { dataBase64 = Convert.ToBase64String([7, 8]) });
        var again = await client.PublishAsync(topic, new { id = "a", data = new { greeting = "ignored" } }, new { id = "b", data = Binary });

        Assert.Equal([(1L, false), (2L, false), (3L, false)], first.Select(o => (o.Sequence, o.Duplicate)));
        Assert.Equal([(1L, true), (2L, true)], again.Select(o => (o.Sequence, o.Duplicate)));
        var log = (await Host.Grains.GetGrain<ITopicGrain>(topic).ReadAsync(1, 10)).Messages;
        Assert.Equal(3, log.Count);
        Assert.True(JsonElement.DeepEquals(Json("""{"greeting":"héllo ✓","n":5000000000}"""), Json(Encoding.UTF8.GetString(log[0].Data.Span))));
        Assert.Equal(("a", "application/json", "v", "o1"), (log[0].MessageId, log[0].ContentType, log[0].Attributes!["k"], log[0].OrderingKey));
        Assert.Equal(Binary, log[1].Data.ToArray());
        Assert.Equal(("b", "image/png"), (log[1].MessageId, log[1].ContentType));
        Assert.Equal([7, 8], log[2].Data.ToArray());
    }

    [Fact]
    public async Task Durable_DeliversEveryField_AndAckAndNackWork()
    {
        var topic = await Host.CreateTopicAsync("mp");
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectMessagePackAsync(Host.Address);
        Assert.Equal(subscription, await client.SubscribeAsync(topic, subscription));

        var before = DateTimeOffset.UtcNow;
        await client.PublishAsync(
            topic,
            new { id = "m1", data = new { n = 7, s = "ünï", list = new object?[] { true, false, null, 1.5 } }, attributes = new Dictionary<string, string> { ["k"] = "v" }, orderingKey = "o" },
            new { data = Binary, contentType = "application/octet-stream" });
        await client.WaitForAsync(2);

        var json = client.Received.Single(m => m.Sequence == 1);
        Assert.Equal((topic, subscription, "m1", 1, "o"), (json.Topic, json.Subscription, json.Id, json.DeliveryAttempt, json.OrderingKey));
        Assert.True(JsonElement.DeepEquals(Json("""{"n":7,"s":"ünï","list":[true,false,null,1.5]}"""), json.Data!.Value), json.Data!.Value.GetRawText());
        Assert.Equal("application/json", json.ContentType);
        Assert.Null(json.DataBase64);
        Assert.Null(json.DataBytes);
        Assert.Equal("v", json.Attributes!["k"]);
        Assert.InRange(json.PublishedAt, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(TimeSpan.Zero, json.PublishedAt.Offset);
        Assert.Null(json.DeliverAt);
        Assert.Null(json.ExpiresAt);
        Assert.False(string.IsNullOrEmpty(json.AckId));
        var binary = client.Received.Single(m => m.Sequence == 2);
        Assert.Equal(Binary, binary.DataBytes!.Value.ToArray());
        Assert.Null(binary.Data);
        Assert.Null(binary.DataBase64);
        Assert.Equal((topic, subscription, "application/octet-stream"), (binary.Topic, binary.Subscription, binary.ContentType));

        Assert.Empty(await client.AckAsync(topic, subscription, [json.AckId]));
        Assert.Empty(await client.NackAsync(topic, subscription, [binary.AckId], delaySeconds: 0));
        await client.WaitForAsync(3, "the nacked message to come back");
        var again = client.Received[2];
        Assert.Equal((2L, 2), (again.Sequence, again.DeliveryAttempt));
        Assert.Equal(Binary, again.DataBytes!.Value.ToArray());
        Assert.Empty(await client.AckAsync(topic, subscription, [again.AckId]));
        Assert.Equal(0, (await Host.StatsAsync(topic, subscription)).Backlog);
    }

    [Fact]
    public async Task Live_MessagePackAndJsonConnections_ReceiveTheSameMessages_InOrder_WithTheirOwnSubscription()
    {
        var topic = await Host.CreateTopicAsync("mp");
        await using var first = await HubTestClient.ConnectMessagePackAsync(Host.Address);
        await using var second = await HubTestClient.ConnectMessagePackAsync(Host.Address);
        await using var json = await HubTestClient.ConnectAsync(Host.Address);
        var clients = new[] { first, second, json };
        var names = new List<string>();
        foreach (var client in clients)
        {
            names.Add(await client.SubscribeAsync(topic, null, maxInFlight: 50));
        }

        for (var i = 0; i < 10; i++)
        {
            await first.PublishAsync(topic, new { data = new { n = i } }, new { data = new byte[] { (byte)i, 0xFF }, attributes = new Dictionary<string, string> { ["i"] = $"{i}" } });
        }

        Assert.Equal(3, names.Distinct().Count());
        for (var c = 0; c < clients.Length; c++)
        {
            await clients[c].WaitForAsync(20);
            var received = clients[c].Received;
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), received.Select(m => m.Sequence));
            Assert.All(received, m => Assert.Equal((topic, names[c], 1), (m.Topic, m.Subscription, m.DeliveryAttempt)));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $$"""{"n":{{i}}}"""), received.Where(m => m.Sequence % 2 == 1).Select(m => m.Data!.Value.GetRawText()));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"{i}"), received.Where(m => m.Sequence % 2 == 0).Select(m => m.Attributes!["i"]));
        }

        // The binary payloads: bytes over MessagePack, base64 over JSON, the same either way.
        var expected = Enumerable.Range(0, 10).Select(i => Convert.ToBase64String([(byte)i, 0xFF])).ToList();
        Assert.Equal(expected, first.Received.Where(m => m.Sequence % 2 == 0).Select(m => Convert.ToBase64String(m.DataBytes!.Value.Span)));
        Assert.Equal(expected, second.Received.Where(m => m.Sequence % 2 == 0).Select(m => Convert.ToBase64String(m.DataBytes!.Value.Span)));
        Assert.Equal(expected, json.Received.Where(m => m.Sequence % 2 == 0).Select(m => m.DataBase64));
        Assert.All(json.Received, m => Assert.Null(m.DataBytes));
    }

    [Fact]
    public async Task JsonPayloadsWithNumbersNoDoubleHolds_AreDelivered_AndKeepTheConnection()
    {
        var topic = await Host.CreateTopicAsync("mp");
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectMessagePackAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);
        await client.SubscribeAsync(topic, null);

        // Valid JSON with a number no double holds, published as JSON bytes (as the HTTP API takes them).
        await client.PublishAsync(topic, new { dataBase64 = Convert.ToBase64String("""{"big":1e400,"precise":12345678901234567890123}"""u8), contentType = "application/json" });
        await client.PublishAsync(topic, new { data = new { n = 1 } });

        await client.WaitForAsync(4);
        Assert.Equal(HubConnectionState.Connected, client.Connection.State);
        var big = client.Received.First(m => m.Sequence == 1).Data!.Value;
        Assert.Equal("1e400", big.GetProperty("big").GetString());
        Assert.Equal(JsonValueKind.Number, big.GetProperty("precise").ValueKind);
    }

    [Fact]
    public async Task Errors_ReadAsOverJson()
    {
        var topic = await Host.CreateTopicAsync("mp");
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var messagePack = await HubTestClient.ConnectMessagePackAsync(Host.Address);
        await using var json = await HubTestClient.ConnectAsync(Host.Address);

        async Task<string> SameErrorAsync(Func<HubTestClient, Task> call)
        {
            var overJson = await Assert.ThrowsAsync<HubException>(() => call(json));
            var overMessagePack = await Assert.ThrowsAsync<HubException>(() => call(messagePack));
            Assert.Equal(overJson.Message, overMessagePack.Message);
            return overMessagePack.Message;
        }

        Assert.StartsWith("2001 TopicNotFound: Topic 'no-such-topic' not found.", await SameErrorAsync(c => c.PublishNumbersAsync("no-such-topic", 1)), StringComparison.Ordinal);
        Assert.StartsWith("2001 TopicNotFound: ", await SameErrorAsync(c => c.SubscribeAsync("no-such-topic", null)), StringComparison.Ordinal);
        Assert.StartsWith("2002 SubscriptionNotFound: ", await SameErrorAsync(c => c.SubscribeAsync(topic, "no-such-subscription")), StringComparison.Ordinal);
        Assert.StartsWith("1001 InvalidName: ", await SameErrorAsync(c => c.SubscribeAsync("bad/name", null)), StringComparison.Ordinal);
        Assert.StartsWith("1007 InvalidArgument: ", await SameErrorAsync(c => c.SubscribeAsync(topic, subscription, maxInFlight: 0)), StringComparison.Ordinal);
        Assert.StartsWith("1007 InvalidArgument: ", await SameErrorAsync(c => c.AckAsync(topic, subscription, [])), StringComparison.Ordinal);
        Assert.StartsWith("1007 InvalidArgument: ", await SameErrorAsync(c => c.NackAsync(topic, subscription, ["x"], delaySeconds: -1)), StringComparison.Ordinal);
        Assert.StartsWith("1003 InvalidMessage: ", await SameErrorAsync(c => c.PublishAsync(topic, new { data = 1, dataBase64 = "AQ==" })), StringComparison.Ordinal);
        Assert.StartsWith("1003 InvalidMessage: ", await SameErrorAsync(c => c.PublishAsync(topic, new { dataBase64 = "not base64!" })), StringComparison.Ordinal);
        Assert.StartsWith("1003 InvalidMessage: ", await SameErrorAsync(c => c.PublishAsync(topic, new { id = "no-payload" })), StringComparison.Ordinal);
        Assert.StartsWith("1003 InvalidMessage: ", await SameErrorAsync(c => c.PublishAsync(topic, new { data = 1 }, null!)), StringComparison.Ordinal);

        // Binary data is dataBase64 over MessagePack, so giving dataBase64 as well is giving both.
        var both = await Assert.ThrowsAsync<HubException>(() => messagePack.PublishAsync(topic, new { data = Binary, dataBase64 = "AQ==" }));
        var bothReversed = await Assert.ThrowsAsync<HubException>(() => messagePack.PublishAsync(topic, new { dataBase64 = "AQ==", data = Binary }));
        Assert.StartsWith("1003 InvalidMessage: Message 0 of the batch for topic", both.Message, StringComparison.Ordinal);
        Assert.Equal(both.Message, bothReversed.Message);

        // A field the wire type does not have is refused alike by both protocols (as over HTTP).
        Assert.StartsWith("1007 InvalidArgument: ", await SameErrorAsync(c => c.PublishAsync(topic, new { data = 1, colour = "red" })), StringComparison.Ordinal);

        // The failed calls stored nothing.
        Assert.Equal(0, (await Host.StatsAsync(topic, subscription)).Backlog);
    }

    [Fact]
    public async Task Seek_ReturnsTheSubscription_AndRedelivers()
    {
        var topic = await Host.CreateTopicAsync("mp");
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectMessagePackAsync(Host.Address);
        await client.PublishNumbersAsync(topic, 3);
        await client.SubscribeAsync(topic, subscription);
        await client.WaitForAsync(3);

        var description = await client.Connection.InvokeAsync<SubscriptionDescription>("Seek", topic, subscription, new { sequence = 2L });
        var invalid = await Assert.ThrowsAsync<HubException>(() => client.Connection.InvokeAsync<SubscriptionDescription>("Seek", topic, subscription, new { }));

        Assert.Equal((topic, subscription, 2L), (description.Topic, description.Name, description.Stats.Backlog));
        await client.WaitForAsync(5, "the redelivery from sequence 2");
        Assert.Equal([2L, 3], client.Received.Skip(3).Select(m => m.Sequence));
        Assert.StartsWith("1007 InvalidArgument: A seek needs exactly one of", invalid.Message, StringComparison.Ordinal);
    }
}
