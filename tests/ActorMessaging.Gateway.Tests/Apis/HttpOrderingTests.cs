using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpOrderingTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task OrderingKey_DeliversOneAtATimePerKey_InPublishOrder_KeylessUnaffected()
    {
        var topic = UniqueName("ordered");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { StartAt = "earliest" });
        await _http.PublishAsync(topic, Keyed("a1", "a"), Keyed("a2", "a"), Keyed("free", null), Keyed("b1", "b"));

        var first = await _http.PullExactlyAsync(topic, "s", 3);
        var blocked = await _http.PullAsync(topic, "s");
        using var ack = await _http.PostJsonAsync(Subscription(topic, "s", "ack"), new AckRequest { AckIds = [first.Single(m => m.OrderingKey == "a").AckId] });
        var next = await _http.PullExactlyAsync(topic, "s", 1);

        Assert.Equal(["a1", "free", "b1"], first.Select(m => m.Id));
        Assert.Empty(blocked);
        Assert.Equal("a2", Assert.Single(next).Id);
    }

    private static PublishMessage Keyed(string id, string? key) => JsonMessage(new { id }, id) with { OrderingKey = key };
}
