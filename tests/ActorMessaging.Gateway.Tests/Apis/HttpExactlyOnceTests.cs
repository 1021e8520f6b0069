using ActorMessaging.Gateway.Wire;
using System.Net;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Apis;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The <c>exactlyOnce</c> subscription setting over HTTP: create, read, toggle, ack; and how an ack it could not save is answered.</summary>
public sealed class HttpExactlyOnceTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    private async Task<string> TopicAsync()
    {
        var topic = UniqueName("eo");
        await _http.CreateTopicAsync(topic);
        return topic;
    }

    [Fact]
    public async Task Put_WithExactlyOnce_IsCreated_ReadBack_AndCanBeTurnedOffAndOn()
    {
        var topic = await TopicAsync();

        using var created = await _http.SendTextAsync(HttpMethod.Put, Subscription(topic, "ledger"), """{"startAt":"earliest","exactlyOnce":true}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
        {
            Assert.True(body.RootElement.GetProperty("settings").GetProperty("exactlyOnce").GetBoolean());
        }

        Assert.True((await GetAsync(topic)).Settings.ExactlyOnce);
        using var off = await _http.PutJsonAsync(Subscription(topic, "ledger"), new SubscriptionConfiguration());
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.False((await GetAsync(topic)).Settings.ExactlyOnce);
        using var on = await _http.PutJsonAsync(Subscription(topic, "ledger"), new SubscriptionConfiguration { ExactlyOnce = true });
        Assert.True((await on.ReadAsync<SubscriptionDescription>()).Settings.ExactlyOnce);
    }

    [Fact]
    public async Task Put_WithExactlyOnceNotABoolean_Fails400_AndCreatesNothing()
    {
        var topic = await TopicAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Put, Subscription(topic, "ledger"), """{"exactlyOnce":"yes"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var missing = await _http.GetAsync(Subscription(topic, "ledger"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task PullAndAck_OnExactlyOnce_AcksDurably_AndASecondAckIsReportedExpired()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "ledger", new SubscriptionConfiguration { StartAt = "earliest", ExactlyOnce = true });
        await _http.PublishAsync(topic, JsonMessage(new { n = 1 }), JsonMessage(new { n = 2 }));
        var messages = await _http.PullExactlyAsync(topic, "ledger", 2);
        var ack = new AckRequest { AckIds = [.. messages.Select(m => m.AckId)] };

        using var first = await _http.PostJsonAsync(Subscription(topic, "ledger", "ack"), ack);
        using var second = await _http.PostJsonAsync(Subscription(topic, "ledger", "ack"), ack);

        Assert.Empty((await first.ReadAsync<SettleResponse>()).Failures);
        Assert.All((await second.ReadAsync<SettleResponse>()).Failures, f => Assert.Equal((int)ErrorCode.AckIdExpired, f.Code));
        Assert.Equal(0, (await GetAsync(topic)).Stats.Backlog);
    }

    [Fact]
    public async Task OpenApi_DescribesExactlyOnce()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var schema = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(nameof(SubscriptionConfiguration));
        Assert.True(schema.GetProperty("properties").TryGetProperty("exactlyOnce", out _));
    }

    [Fact]
    public void AckNotDurable_IsAnsweredAsAFailureOfThatId_WithItsCodeAndName()
    {
        var answer = WireMapping.ToWire(new SettleResult([new SettleFailure("a-1-1", ErrorCode.AckNotDurable, "could not save")]));

        var failure = Assert.Single(answer.Failures);
        Assert.Equal(("a-1-1", 3004, "AckNotDurable", "could not save"), (failure.AckId, failure.Code, failure.Error, failure.Reason));
    }

    private async Task<SubscriptionDescription> GetAsync(string topic)
    {
        using var response = await _http.GetAsync(Subscription(topic, "ledger"));
        return await response.ReadAsync<SubscriptionDescription>();
    }
}
