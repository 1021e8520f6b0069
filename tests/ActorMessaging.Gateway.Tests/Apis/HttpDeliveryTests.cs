using System.Diagnostics;
using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpDeliveryTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Pull_WithWait_AnswersAsSoonAsAMessageIsPublished()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var clock = Stopwatch.StartNew();

        var pull = _http.PullAsync(topic, subscription, waitSeconds: 25);
        Assert.False(pull.IsCompleted);
        await _http.PublishAsync(topic, JsonMessage("wake up"));
        var messages = await pull.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("wake up", Assert.Single(messages).Data!.Value.GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"The pull took {clock.Elapsed}.");
    }

    [Fact]
    public async Task JsonWithHalfASurrogatePair_IsDeliveredAsBytes_AndDeliveryGoesOn()
    {
        // JSON data with one is refused at publish; as bytes with a JSON content type it gets in.
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var unwritable = System.Text.Encoding.UTF8.GetBytes("""{"name":"\ud800"}""");

        await _http.PublishAsync(topic, new PublishMessage { DataBase64 = Convert.ToBase64String(unwritable), ContentType = "application/json" }, JsonMessage("fine"));
        var messages = await _http.PullAsync(topic, subscription);

        Assert.Equal(2, messages.Count);
        Assert.Null(messages[0].Data);
        Assert.Equal("""{"name":"\ud800"}""", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(messages[0].DataBase64!)));
        Assert.Equal("fine", messages[1].Data!.Value.GetString());
    }

    [Fact]
    public async Task Pull_NothingReadyWithoutWait_AnswersEmptyAtOnce()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();

        using var response = await _http.PostAsync(Subscription(topic, subscription, "pull"), content: null);

        Assert.Empty((await response.ReadAsync<PullResponse>()).Messages);
    }

    [Fact]
    public async Task Pull_TakesAtMostMaxMessages_AndLeasesThem()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        await _http.PublishAsync(topic, [.. Enumerable.Range(0, 5).Select(i => JsonMessage(i))]);

        var first = await _http.PullExactlyAsync(topic, subscription, 3);
        var rest = await _http.PullExactlyAsync(topic, subscription, 2);

        Assert.Equal([1L, 2, 3, 4, 5], first.Concat(rest).Select(m => m.Sequence).Order());
        Assert.All(first.Concat(rest), m => Assert.False(string.IsNullOrEmpty(m.AckId)));
        Assert.Empty(await _http.PullAsync(topic, subscription));
    }

    [Fact]
    public async Task Ack_MixedIds_AppliesTheGoodOnes_AndListsEachFailureWithItsCode()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        await _http.PublishAsync(topic, JsonMessage(1), JsonMessage(2));
        var messages = await _http.PullExactlyAsync(topic, subscription, 2);
        var (first, second) = (messages[0].AckId, messages[1].AckId);
        await Settle("ack", new AckRequest { AckIds = [first] });

        var result = await Settle("ack", new AckRequest { AckIds = [second, "not-an-ack-id", first] });

        Assert.Equal(2, result.Failures.Count);
        var unknown = Assert.Single(result.Failures, f => f.AckId == "not-an-ack-id");
        Assert.Equal((3001, "AckIdUnknown"), (unknown.Code, unknown.Error));
        var settled = Assert.Single(result.Failures, f => f.AckId == first);
        Assert.Equal((3002, "AckIdExpired"), (settled.Code, settled.Error));
        Assert.False(string.IsNullOrEmpty(settled.Reason));
        var stats = await (await _http.GetAsync(Subscription(topic, subscription))).ReadAsync<SubscriptionDescription>();
        Assert.Equal(new SubscriptionStatistics { Backlog = 0, InFlight = 0, DeadLettered = 0 }, stats.Stats);

        Task<SettleResponse> Settle(string action, object body) => SettleAsync(topic, subscription, action, body);
    }

    [Fact]
    public async Task Nack_RedeliversWithTheNextAttempt_AndReportsBadIds()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        await _http.PublishAsync(topic, JsonMessage("retry me"));
        var delivered = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));

        var result = await SettleAsync(topic, subscription, "nack", new NackRequest { AckIds = [delivered.AckId, "bogus"], DelaySeconds = 0 });

        Assert.Equal("bogus", Assert.Single(result.Failures).AckId);
        var again = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal((delivered.Sequence, 2), (again.Sequence, again.DeliveryAttempt));
        Assert.NotEqual(delivered.AckId, again.AckId);
        var stale = await SettleAsync(topic, subscription, "ack", new AckRequest { AckIds = [delivered.AckId] });
        Assert.Equal("AckIdExpired", Assert.Single(stale.Failures).Error);
    }

    [Fact]
    public async Task Extend_KeepsTheLease_AndReportsBadIds()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync(new SubscriptionConfiguration { AckDeadlineSeconds = 1 });
        await _http.PublishAsync(topic, JsonMessage(1));
        var delivered = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));

        var result = await SettleAsync(topic, subscription, "extend", new ExtendRequest { AckIds = [delivered.AckId, "bogus"], Seconds = 600 });

        Assert.Equal(("bogus", "AckIdUnknown"), (Assert.Single(result.Failures).AckId, result.Failures[0].Error));

        // Past the original 1 s deadline, the lease still holds: nothing is redelivered and the ack applies.
        var redelivered = await _http.PullAsync(topic, subscription, waitSeconds: 2.5);
        Assert.Empty(redelivered);
        Assert.Empty((await SettleAsync(topic, subscription, "ack", new AckRequest { AckIds = [delivered.AckId] })).Failures);
    }

    [Fact]
    public async Task Lease_NotAckedInTime_IsRedelivered()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync(new SubscriptionConfiguration { AckDeadlineSeconds = 1, MinBackoffSeconds = 0 });
        await _http.PublishAsync(topic, JsonMessage(1));
        var delivered = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));

        var again = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));

        Assert.Equal((delivered.Sequence, 2), (again.Sequence, again.DeliveryAttempt));
    }

    [Theory]
    [InlineData("pull", """{"maxMessages":0}""")]
    [InlineData("pull", """{"maxMessages":1001}""")]
    [InlineData("pull", """{"waitSeconds":31}""")]
    [InlineData("pull", """{"waitSeconds":-1}""")]
    [InlineData("pull", """{"max":1}""")]
    [InlineData("ack", """{"ackIds":[]}""")]
    [InlineData("ack", """{}""")]
    [InlineData("ack", "")]
    [InlineData("ack", """{"ackIds":"abc"}""")]
    [InlineData("nack", """{"ackIds":["a"],"delaySeconds":-1}""")]
    [InlineData("nack", """{"ackIds":["a"],"delaySeconds":601}""")]
    [InlineData("extend", """{"ackIds":["a"]}""")]
    [InlineData("extend", """{"ackIds":["a"],"seconds":601}""")]
    public async Task BadArguments_Are400InvalidArgument(string action, string body)
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Subscription(topic, subscription, action), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Theory]
    [InlineData("pull", """{}""")]
    [InlineData("ack", """{"ackIds":["a"]}""")]
    [InlineData("nack", """{"ackIds":["a"]}""")]
    [InlineData("extend", """{"ackIds":["a"],"seconds":10}""")]
    public async Task UnknownSubscription_Is404SubscriptionNotFound(string action, string body)
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Subscription(topic, "nobody", action), body);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
    }

    [Fact]
    public async Task Ack_BodyOver1MiB_Is413()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var ids = string.Join(",", Enumerable.Range(0, 80_000).Select(i => $"\"id-{i:D10}\""));

        using var response = await _http.SendTextAsync(HttpMethod.Post, Subscription(topic, subscription, "ack"), $$"""{"ackIds":[{{ids}}]}""");

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCode.BatchTooLarge);
    }

    private async Task<SettleResponse> SettleAsync(string topic, string subscription, string action, object body)
    {
        using var response = await _http.PostJsonAsync(Subscription(topic, subscription, action), body);
        return await response.ReadAsync<SettleResponse>();
    }

    private async Task<(string Topic, string Subscription)> TopicWithSubscriptionAsync(SubscriptionConfiguration? settings = null)
    {
        var topic = UniqueName("delivery");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "worker", settings);
        return (topic, "worker");
    }
}
