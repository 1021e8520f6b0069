using System.Text;

namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubPublishTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Publish_StoresJsonAndBinaryPayloads_AndReturnsSequencesAndDuplicates()
    {
        var topic = await Host.CreateTopicAsync();
        await using var client = await HubTestClient.ConnectAsync(Host.Address);

        var first = await client.PublishAsync(
            topic,
            new { id = "a", data = new { greeting = "hello" }, attributes = new Dictionary<string, string> { ["k"] = "v" }, orderingKey = "o1" },
            new { dataBase64 = Convert.ToBase64String([1, 2, 3]), contentType = "application/octet-stream" });
        var again = await client.PublishAsync(topic, new { id = "a", data = new { greeting = "hello" } });

        Assert.Equal([(1L, false), (2L, false)], first.Select(o => (o.Sequence, o.Duplicate)));
        Assert.Equal((1L, true), (again[0].Sequence, again[0].Duplicate));
        var log = await Host.Grains.GetGrain<ITopicGrain>(topic).ReadAsync(1, 10);
        Assert.Equal(2, log.Messages.Count);
        Assert.Equal("""{"greeting":"hello"}""", Encoding.UTF8.GetString(log.Messages[0].Data.Span));
        Assert.Equal("application/json", log.Messages[0].ContentType);
        Assert.Equal("v", log.Messages[0].Attributes!["k"]);
        Assert.Equal("o1", log.Messages[0].OrderingKey);
        Assert.Equal([1, 2, 3], log.Messages[1].Data.ToArray());
        Assert.Equal("application/octet-stream", log.Messages[1].ContentType);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Publish_WithAnUnknownOrMisCasedField_IsATyped1007_AndTheConnectionStays(bool messagePack)
    {
        // Issue 12: the hub accepted fields the HTTP API refuses. (A dictionary: the client's naming policy would camelCase a property.)
        var topic = await Host.CreateTopicAsync();
        await using var client = messagePack ? await HubTestClient.ConnectMessagePackAsync(Host.Address) : await HubTestClient.ConnectAsync(Host.Address);

        var unknown = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.PublishAsync(topic, new { data = "a", colour = "red" }));
        var misCased = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => client.PublishAsync(topic, new Dictionary<string, object> { ["Data"] = "a" }));

        Assert.StartsWith("1007 InvalidArgument: ", unknown.Message, StringComparison.Ordinal);
        Assert.StartsWith("1007 InvalidArgument: ", misCased.Message, StringComparison.Ordinal);
        Assert.Equal(1L, (await client.PublishAsync(topic, new { data = "a" }))[0].Sequence);
    }
}
