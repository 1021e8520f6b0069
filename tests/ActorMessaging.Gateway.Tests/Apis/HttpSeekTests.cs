using System.Globalization;
using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpSeekTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    private async Task<string> TopicWithMessagesAsync(int count)
    {
        var topic = UniqueName("seek");
        await _http.CreateTopicAsync(topic);
        await _http.PublishAsync(topic, [.. Enumerable.Range(1, count).Select(i => JsonMessage(i, $"m{i}"))]);
        return topic;
    }

    private async Task AckAllAsync(string topic, IEnumerable<ReceivedMessage> messages)
    {
        using var ack = await _http.PostJsonAsync(Subscription(topic, "s", "ack"), new AckRequest { AckIds = [.. messages.Select(m => m.AckId)] });
        Assert.Empty((await ack.ReadAsync<SettleResponse>()).Failures);
    }

    [Fact]
    public async Task Seek_ToASequence_RedeliversFromThere_AndReportsTheNewBacklog()
    {
        var topic = await TopicWithMessagesAsync(4);
        await _http.CreateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { StartAt = "earliest" });
        await AckAllAsync(topic, await _http.PullExactlyAsync(topic, "s", 4));

        using var response = await _http.PostJsonAsync(Subscription(topic, "s", "seek"), new SeekRequest { Sequence = 3 });
        var description = await response.ReadAsync<SubscriptionDescription>();
        var again = await _http.PullExactlyAsync(topic, "s", 2);

        Assert.Equal(2, description.Stats.Backlog);
        Assert.Equal(["m3", "m4"], again.Select(m => m.Id));
    }

    [Fact]
    public async Task Seek_ToATime_StartsAtTheFirstMessagePublishedThen()
    {
        var topic = await TopicWithMessagesAsync(2);
        await _http.CreateSubscriptionAsync(topic, "s", new SubscriptionConfiguration { StartAt = "latest" });
        var first = (await _http.PullAsync(topic, "s")).Count;

        using var response = await _http.PostJsonAsync(Subscription(topic, "s", "seek"), new SeekRequest { Time = DateTimeOffset.UtcNow.AddMinutes(-5) });
        var replayed = await _http.PullExactlyAsync(topic, "s", 2);

        Assert.Equal(0, first);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["m1", "m2"], replayed.Select(m => m.Id));
    }

    [Theory]
    [InlineData("{\"sequence\":99}", "Sequence 99 is not retained")]
    [InlineData("{\"time\":\"2000-01-01T00:00:00Z\"}", "outside the retention")]
    [InlineData("{\"sequence\":1,\"time\":\"2000-01-01T00:00:00Z\"}", "exactly one of")]
    [InlineData("{}", "exactly one of")]
    public async Task Seek_Invalid_Is400InvalidArgument(string body, string detail)
    {
        var topic = await TopicWithMessagesAsync(2);
        await _http.CreateSubscriptionAsync(topic, "s");

        using var response = await _http.SendTextAsync(HttpMethod.Post, Subscription(topic, "s", "seek"), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_StartAtASequenceOrATime_StartsThere_AndReportsIt()
    {
        var topic = await TopicWithMessagesAsync(3);
        var time = DateTimeOffset.UtcNow.AddMinutes(-5);

        var atSequence = await _http.CreateSubscriptionAsync(topic, "at-seq", new SubscriptionConfiguration { StartAt = "2" });
        var atTime = await _http.CreateSubscriptionAsync(topic, "at-time", new SubscriptionConfiguration { StartAt = time.ToString("O", CultureInfo.InvariantCulture) });

        Assert.Equal("2", atSequence.Settings.StartAt);
        Assert.Equal(["m2", "m3"], (await _http.PullExactlyAsync(topic, "at-seq", 2)).Select(m => m.Id));
        Assert.Equal(time, DateTimeOffset.Parse(atTime.Settings.StartAt!, CultureInfo.InvariantCulture));
        Assert.Equal(["m1", "m2", "m3"], (await _http.PullExactlyAsync(topic, "at-time", 3)).Select(m => m.Id));
    }

    [Fact]
    public async Task Create_StartAtAnUnretainedSequence_Is400_AndCreatesNothing()
    {
        var topic = await TopicWithMessagesAsync(1);

        using var response = await _http.PutJsonAsync(Subscription(topic, "s"), new SubscriptionConfiguration { StartAt = "50" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        using var get = await _http.GetAsync(Subscription(topic, "s"));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }
}
