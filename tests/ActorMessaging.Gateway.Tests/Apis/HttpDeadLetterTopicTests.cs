using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpDeadLetterTopicTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task ExhaustedMessage_ArrivesOnTheDeadLetterTopic_WithItsSourceAndReason()
    {
        var (topic, dlt) = (UniqueName("src"), UniqueName("dlt"));
        await _http.CreateTopicAsync(topic);
        await _http.CreateTopicAsync(dlt);
        await _http.CreateSubscriptionAsync(dlt, "reader", new SubscriptionConfiguration { StartAt = "earliest" });
        var created = await _http.CreateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { MaxDeliveryAttempts = 1, DeadLetterTopic = dlt });
        await _http.PublishAsync(topic, JsonMessage(new { bad = true }, "poison"));

        var delivery = Assert.Single(await _http.PullExactlyAsync(topic, "s", 1));
        using var nack = await _http.PostJsonAsync(Subscription(topic, "s", "nack"), new NackRequest { AckIds = [delivery.AckId], DelaySeconds = 0 });
        var forwarded = Assert.Single(await _http.PullExactlyAsync(dlt, "reader", 1));

        Assert.Equal(dlt, created.Settings.DeadLetterTopic);
        Assert.Equal(topic, forwarded.Attributes!["am-dead-letter-source-topic"]);
        Assert.Equal("s", forwarded.Attributes["am-dead-letter-source-subscription"]);
        Assert.Equal("maxDeliveryAttempts", forwarded.Attributes["am-dead-letter-reason"]);
        Assert.Equal("1", forwarded.Attributes["am-dead-letter-attempts"]);
    }

    [Fact]
    public async Task DeadLetterTopic_ThatDoesNotExist_Is400InvalidSetting()
    {
        var topic = UniqueName("src");
        await _http.CreateTopicAsync(topic);

        using var response = await _http.PutJsonAsync(Subscription(topic, "s"), new SubscriptionConfiguration { DeadLetterTopic = UniqueName("none") });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidSetting);
        Assert.Contains("deadLetterTopic", problem.Detail, StringComparison.Ordinal);
    }
}
