using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

/// <summary><c>PUT /v1/topics/{topic}</c> with <c>subscriptions</c>: a topic and its subscriptions in one call.</summary>
public sealed class HttpTopicWithSubscriptionsTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Put_WithSubscriptions_CreatesThemAll_AndAgainChangesNothing()
    {
        var topic = UniqueName("orders");
        var request = new TopicConfiguration
        {
            RetentionSeconds = 3600,
            Subscriptions = new Dictionary<string, SubscriptionConfiguration>
            {
                ["audit"] = new() { StartAt = "earliest" },
                ["billing"] = new() { MaxDeliveryAttempts = 3 },
            },
        };

        using var created = await _http.PutJsonAsync(Topic(topic), request);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadAsync<TopicDescription>();
        Assert.Equal((3600d, 2), (body.Settings.RetentionSeconds!.Value, body.SubscriptionCount));
        Assert.Null(body.Settings.Subscriptions);
        var audit = await (await _http.GetAsync(Subscription(topic, "audit"))).ReadAsync<SubscriptionDescription>();
        var billing = await (await _http.GetAsync(Subscription(topic, "billing"))).ReadAsync<SubscriptionDescription>();
        Assert.Equal(("earliest", 3), (audit.Settings.StartAt, billing.Settings.MaxDeliveryAttempts));

        await _http.PublishAsync(topic, JsonMessage(new { n = 1 }, id: "m-1"));
        using var again = await _http.PutJsonAsync(Topic(topic), request);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, (await again.ReadAsync<TopicDescription>()).SubscriptionCount);
        Assert.Equal("m-1", Assert.Single(await _http.PullExactlyAsync(topic, "audit", 1)).Id);
    }

    [Theory]
    [InlineData("bad name!", "{}", ErrorCode.InvalidName)]
    [InlineData("audit", """{"ackDeadlineSeconds": -1}""", ErrorCode.InvalidSetting)]
    public async Task Put_WithOneBadSubscription_Returns400_AndCreatesNothing(string subscription, string settings, ErrorCode code)
    {
        var topic = UniqueName("orders");
        var body = "{\"subscriptions\": {\"good\": {}, \"" + subscription + "\": " + settings + "}}";

        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(topic), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        await (await _http.GetAsync(Topic(topic))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Fact]
    public async Task Put_WithMoreSubscriptionsThanAllowed_Returns400()
    {
        var topic = UniqueName("orders");
        var subscriptions = Enumerable.Range(0, TopicConfiguration.MaxSubscriptionsPerRequest + 1).ToDictionary(i => $"s{i}", _ => new SubscriptionConfiguration());

        using var response = await _http.PutJsonAsync(Topic(topic), new TopicConfiguration { Subscriptions = subscriptions });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        await (await _http.GetAsync(Topic(topic))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }
}
