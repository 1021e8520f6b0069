using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpScheduleTests(FakeClockGatewayFixture fixture) : IClassFixture<FakeClockGatewayFixture>
{
    private readonly HttpClient _http = fixture.Http;

    private async Task<string> TopicWithSubscriptionAsync(TopicConfiguration? topicSettings = null, SubscriptionConfiguration? settings = null)
    {
        var topic = UniqueName("sched");
        await _http.CreateTopicAsync(topic, topicSettings);
        await _http.CreateSubscriptionAsync(topic, "s", settings ?? new SubscriptionConfiguration { StartAt = "earliest" });
        return topic;
    }

    [Fact]
    public async Task DeliverAt_IsHeldBackUntilDue_ThenDeliveredWithItsScheduleAndExpiry()
    {
        var topic = await TopicWithSubscriptionAsync();
        var at = fixture.Time.GetUtcNow().AddMinutes(1);
        await _http.PublishAsync(topic, JsonMessage(new { n = 1 }, "later") with { DeliverAt = at, TtlSeconds = 30 });

        var early = await _http.PullAsync(topic, "s");
        fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var due = await _http.PullAsync(topic, "s");

        Assert.Empty(early);
        var message = Assert.Single(due);
        Assert.Equal("later", message.Id);
        Assert.Equal(at, message.DeliverAt);
        Assert.Equal(at.AddSeconds(30), message.ExpiresAt);
    }

    [Fact]
    public async Task TtlSeconds_ExpiredMessage_IsNotDelivered_TopicDefaultApplies()
    {
        var topic = await TopicWithSubscriptionAsync(new TopicConfiguration { DefaultTtlSeconds = 5 });
        await _http.PublishAsync(topic, JsonMessage(1, "default"), JsonMessage(2, "own") with { TtlSeconds = 60 });

        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        var received = await _http.PullAsync(topic, "s");
        var description = await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>();

        Assert.Equal(["own"], received.Select(m => m.Id));
        Assert.Equal(5, description.Settings.DefaultTtlSeconds);
    }

    [Fact]
    public async Task DeliverAt_BeyondRetention_Is400InvalidMessage_AndNothingIsStored()
    {
        var topic = await TopicWithSubscriptionAsync(new TopicConfiguration { RetentionSeconds = 3600 });

        using var response = await _http.PostJsonAsync(Messages(topic), new PublishRequest
        {
            Messages = [JsonMessage(1) with { DeliverAt = fixture.Time.GetUtcNow().AddHours(2) }],
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidMessage);
        Assert.Contains("retention", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).LastSequence);
    }

    [Fact]
    public async Task DeadLetterExpired_DeadLettersWithReasonExpired_AndNeedsDeadLettering()
    {
        var topic = await TopicWithSubscriptionAsync(settings: new SubscriptionConfiguration { StartAt = "earliest", DeadLetterExpired = true });
        await _http.PublishAsync(topic, JsonMessage(1, "short") with { TtlSeconds = 1 });
        using var conflicting = await _http.PutJsonAsync(Subscription(topic, "other"), new SubscriptionConfiguration { DeadLettering = false, DeadLetterExpired = true });

        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(await _http.PullAsync(topic, "s"));
        var letters = await Eventually.ValueAsync(
            async () => await (await _http.GetAsync(Subscription(topic, "s", "deadletters"))).ReadAsync<DeadLetterList>(),
            list => list.DeadLetters.Count == 1, "the expired message in the dead letters");

        Assert.Equal("expired", letters.DeadLetters[0].Reason);
        await conflicting.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidSetting);
    }
}
