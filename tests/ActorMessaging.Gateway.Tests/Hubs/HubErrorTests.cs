using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubErrorTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task UnknownTopic_IsATypedError()
    {
        await using var client = await HubTestClient.ConnectAsync(Host.Address);

        var publish = await Assert.ThrowsAsync<HubException>(() => client.PublishNumbersAsync("no-such-topic", 1));
        var subscribeLive = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync("no-such-topic", null));
        var subscribeDurable = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync("no-such-topic", "no-such-subscription"));

        Assert.StartsWith("2001 TopicNotFound: Topic 'no-such-topic' not found.", publish.Message, StringComparison.Ordinal);
        Assert.StartsWith("2001 TopicNotFound: ", subscribeLive.Message, StringComparison.Ordinal);
        Assert.StartsWith("2001 TopicNotFound: ", subscribeDurable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(63)]
    [InlineData(1_000)]
    [InlineData(200_000)]
    public async Task JsonInvocation_NestedPastTheLimit_IsATypedError_AndTheConnectionStays(int levels)
    {
        // Before, the JSON hub protocol failed to read such a frame and closed the connection, with all it had.
        var topic = await Host.CreateTopicAsync();
        await using var connection = await RawJsonHubConnection.ConnectAsync(Host.Address);
        var nested = new string('[', levels) + new string(']', levels);

        await connection.SendAsync($$"""{"type":1,"invocationId":"1","target":"Publish","arguments":["{{topic}}",{{nested}}]}""");
        var error = (await connection.CompletionAsync("1")).GetProperty("error").GetString();

        Assert.StartsWith("1007 InvalidArgument: ", error, StringComparison.Ordinal);

        // A call without an invocation id gets no answer, and does not close the connection either.
        await connection.SendAsync($$"""{"type":1,"target":"Publish","arguments":["{{topic}}",{{nested}}]}""");
        await connection.SendAsync($$"""{"type":1,"invocationId":"2","target":"Publish","arguments":["{{topic}}",[{"data":"after"}]]}""");
        var published = await connection.CompletionAsync("2");
        Assert.False(published.TryGetProperty("error", out var failed), failed.ToString());
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task BadInput_IsATypedError_AndLosesNothingTheConnectionHas()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);
        await client.PublishNumbersAsync(topic, 1);
        await client.WaitForAsync(1);

        await AssertErrorAsync("2002 SubscriptionNotFound", () => client.SubscribeAsync(topic, "no-such-subscription"));
        await AssertErrorAsync("1001 InvalidName", () => client.SubscribeAsync("bad/name", null));
        await AssertErrorAsync("1001 InvalidName", () => client.SubscribeAsync(null!, null));
        await AssertErrorAsync("1001 InvalidName", () => client.SubscribeAsync(topic, " spaced"));
        await AssertErrorAsync("1001 InvalidName", () => client.PublishNumbersAsync("", 1));
        await AssertErrorAsync("1007 InvalidArgument", () => client.SubscribeAsync(topic, subscription, maxInFlight: 0));
        await AssertErrorAsync("1007 InvalidArgument", () => client.SubscribeAsync(topic, subscription, maxInFlight: 10_001));
        await AssertErrorAsync("1007 InvalidArgument", () => client.AckAsync(topic, subscription, []));
        await AssertErrorAsync("1007 InvalidArgument", () => client.AckAsync(topic, subscription, Enumerable.Repeat("x", 1001)));
        await AssertErrorAsync("1007 InvalidArgument", () => client.NackAsync(topic, subscription, ["x"], delaySeconds: -1));
        await AssertErrorAsync("1007 InvalidArgument", () => client.PublishAsync(topic));
        await AssertErrorAsync("1003 InvalidMessage", () => client.PublishAsync(topic, new { data = 1, dataBase64 = "AQ==" }));
        await AssertErrorAsync("1003 InvalidMessage", () => client.PublishAsync(topic, new { dataBase64 = "not base64!" }));
        await AssertErrorAsync("1003 InvalidMessage", () => client.PublishAsync(topic, new { id = "no-payload" }));
        await AssertErrorAsync("1003 InvalidMessage", () => client.PublishAsync(topic, new { data = 1 }, null!));
        await AssertErrorAsync("2002 SubscriptionNotFound", () => client.AckAsync(topic, "no-such-subscription", ["x"]));

        // The failed calls left the subscription, its window and its unacked delivery as they were.
        Assert.Empty(await client.AckAsync(topic, subscription, [client.Received[0].AckId]));
        await client.PublishNumbersAsync(topic, 2);
        await client.WaitForAsync(3);
        Assert.Equal([1L, 2, 3], client.Received.Select(m => m.Sequence).Order());
        Assert.Equal(1, (await Host.StatsAsync(topic, subscription)).ConsumersAttached);
    }

    private static async Task AssertErrorAsync(string codeAndName, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HubException>(call);
        Assert.StartsWith(codeAndName + ": ", error.Message, StringComparison.Ordinal);
    }
}
