using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Issue 12: input the gateway accepted and silently changed or stored, now refused with a typed error and nothing stored.</summary>
public sealed class HttpInputRulesTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Theory]
    [InlineData("""{"messages":[{"data":"x","contentType":"text/plain\u0000"}]}""")]
    [InlineData("""{"messages":[{"data":"x","contentType":"text/plain\r\nX-Injected: 1"}]}""")]
    [InlineData("""{"messages":[{"data":"x","attributes":{"a\nb":"1"}}]}""")]
    [InlineData("""{"messages":[{"data":"x","orderingKey":"k\u001b[31m"}]}""")]
    public async Task Publish_WithControlCharactersInAHeaderLikeField_Is400InvalidMessage_AndStoresNothing(string body)
    {
        var topic = UniqueName("input");
        await _http.CreateTopicAsync(topic);

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidMessage);
        Assert.Equal(0, (await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).LastSequence);
    }

    [Theory]
    [InlineData("""{"messages":[{"data":{"text":"\ud800"}}]}""", "not valid Unicode")]
    [InlineData("""{"messages":[{"data":["ok","\udc00x"]}]}""", "not valid Unicode")]
    [InlineData("""{"messages":[{"data":{"big":1e309}}]}""", "1e309")]
    [InlineData("""{"messages":[{"data":-1E400}]}""", "-1E400")]
    public async Task Publish_WithDataThatWouldBeStoredAltered_Is400InvalidMessage_AndStoresNothing(string body, string named)
    {
        // Issue 12: an escaped lone surrogate was stored as U+FFFD, and 1e309 reached JavaScript clients as Infinity.
        var topic = UniqueName("input");
        await _http.CreateTopicAsync(topic);

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidMessage);
        Assert.Contains(named, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).LastSequence);
    }

    [Fact]
    public async Task Publish_WithAValidSurrogatePairAndALargeFiniteNumber_StoresThemAsSent()
    {
        var topic = UniqueName("input");
        await _http.CreateTopicAsync(topic);

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), """{"messages":[{"data":{"emoji":"\ud83d\ude00","n":1e308}}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).LastSequence);
    }

    [Fact]
    public async Task FieldNames_MatchExactly_AMisCasedOneIsRefusedAsUnknown()
    {
        var topic = UniqueName("input");
        await _http.CreateTopicAsync(topic);

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), """{"MESSAGES":[{"data":"x"}]}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.Contains("MESSAGES", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).LastSequence);
    }
}
