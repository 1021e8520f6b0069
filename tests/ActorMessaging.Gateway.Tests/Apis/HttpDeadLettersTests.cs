using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpDeadLettersTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Nack_AtTheLastAttempt_DeadLetters_ThenListPagesResubmitAndPurge()
    {
        var topic = await DeadLetteredAsync(count: 3);

        var firstPage = await ListAsync(topic, "?pageSize=2");
        var secondPage = await ListAsync(topic, $"?pageSize=2&pageToken={firstPage.NextPageToken}");

        Assert.Equal([1L, 2], firstPage.DeadLetters.Select(d => d.Sequence));
        Assert.NotNull(firstPage.NextPageToken);
        Assert.Equal(3, Assert.Single(secondPage.DeadLetters).Sequence);
        Assert.Null(secondPage.NextPageToken);
        var letter = firstPage.DeadLetters[0];
        Assert.Equal(("maxDeliveryAttempts", 1, "m-0"), (letter.Reason, letter.DeliveryAttempts, letter.Id));
        Assert.Equal(0, letter.Data!.Value.GetInt32());
        Assert.Equal("application/json", letter.ContentType);
        Assert.Equal(3, (await StatsAsync(topic)).DeadLettered);

        using (var resubmit = await _http.PostJsonAsync(Subscription(topic, "worker", "deadletters/resubmit"), new ResubmitDeadLettersRequest { Sequences = [2] }))
        {
            Assert.Equal(1, (await resubmit.ReadAsync<ResubmitDeadLettersResponse>()).Resubmitted);
        }

        var redelivered = Assert.Single(await _http.PullExactlyAsync(topic, "worker", 1));
        Assert.Equal((2L, 1), (redelivered.Sequence, redelivered.DeliveryAttempt));
        Assert.Equal([1L, 3], (await ListAsync(topic)).DeadLetters.Select(d => d.Sequence));

        using (var purge = await _http.DeleteAsync(Subscription(topic, "worker", "deadletters")))
        {
            Assert.Equal(2, (await purge.ReadAsync<PurgeDeadLettersResponse>()).Purged);
        }

        Assert.Empty((await ListAsync(topic)).DeadLetters);
        Assert.Equal(0, (await StatsAsync(topic)).DeadLettered);
    }

    [Fact]
    public async Task Resubmit_WithoutBody_ResubmitsEveryDeadLetter()
    {
        var topic = await DeadLetteredAsync(count: 2);

        using var response = await _http.PostAsync(Subscription(topic, "worker", "deadletters/resubmit"), content: null);

        Assert.Equal(2, (await response.ReadAsync<ResubmitDeadLettersResponse>()).Resubmitted);
        Assert.Equal([1L, 2], (await _http.PullExactlyAsync(topic, "worker", 2)).Select(m => m.Sequence).Order());
        Assert.Empty((await ListAsync(topic)).DeadLetters);
    }

    [Theory]
    [InlineData("?pageSize=0")]
    [InlineData("?pageSize=1001")]
    [InlineData("?pageSize=x")]
    [InlineData("?pageToken=abc")]
    [InlineData("?pageToken=-1")]
    public async Task List_BadPaging_Is400InvalidArgument(string query)
    {
        var topic = UniqueName("dead");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "worker");

        using var response = await _http.GetAsync(new Uri(Subscription(topic, "worker", "deadletters") + query, UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Resubmit_UnknownField_Is400()
    {
        var topic = UniqueName("dead");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "worker");

        using var response = await _http.SendTextAsync(HttpMethod.Post, Subscription(topic, "worker", "deadletters/resubmit"), """{"sequence":[1]}""");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task EveryDeadLetterEndpoint_OnUnknownSubscription_Is404()
    {
        var topic = UniqueName("dead");
        await _http.CreateTopicAsync(topic);

        await (await _http.GetAsync(Subscription(topic, "nobody", "deadletters"))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
        await (await _http.PostAsync(Subscription(topic, "nobody", "deadletters/resubmit"), content: null)).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
        await (await _http.DeleteAsync(Subscription(topic, "nobody", "deadletters"))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
    }

    [Fact]
    public async Task DeadLetter_MovesADeliveryAtOnce_WithReasonRejected_AndRefusesWithDeadLetteringOff()
    {
        var topic = UniqueName("dead");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "worker");
        await _http.CreateSubscriptionAsync(topic, "no-dlq", new SubscriptionConfiguration { DeadLettering = false });
        await _http.PublishAsync(topic, [JsonMessage(7, id: "poison")]);
        var delivered = Assert.Single(await _http.PullExactlyAsync(topic, "worker", 1));

        using (var reject = await _http.PostJsonAsync(Subscription(topic, "worker", "deadletter"), new AckRequest { AckIds = [delivered.AckId] }))
        {
            Assert.Empty((await reject.ReadAsync<SettleResponse>()).Failures);
        }

        await Eventually.TrueAsync(async () => (await ListAsync(topic)).DeadLetters.Count == 1, "the rejected message in the dead-letter store");
        var letter = Assert.Single((await ListAsync(topic)).DeadLetters);
        Assert.Equal(("rejected", 1, "poison"), (letter.Reason, letter.DeliveryAttempts, letter.Id));
        var kept = Assert.Single(await _http.PullExactlyAsync(topic, "no-dlq", 1));
        using var refused = await _http.PostJsonAsync(Subscription(topic, "no-dlq", "deadletter"), new AckRequest { AckIds = [kept.AckId] });
        await refused.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    /// <summary>A topic whose subscription "worker" (one attempt, dead-lettering on) has dead-lettered messages 1..count.</summary>
    private async Task<string> DeadLetteredAsync(int count)
    {
        var topic = UniqueName("dead");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "worker", new SubscriptionConfiguration { MaxDeliveryAttempts = 1 });
        await _http.PublishAsync(topic, [.. Enumerable.Range(0, count).Select(i => JsonMessage(i, id: $"m-{i}"))]);
        var delivered = await _http.PullExactlyAsync(topic, "worker", count);
        using (var nack = await _http.PostJsonAsync(Subscription(topic, "worker", "nack"), new NackRequest { AckIds = [.. delivered.Select(m => m.AckId)] }))
        {
            Assert.Empty((await nack.ReadAsync<SettleResponse>()).Failures);
        }

        // The dead letter is stored before the message counts as settled, so it appears shortly after the nack.
        await Eventually.TrueAsync(async () => (await ListAsync(topic)).DeadLetters.Count == count, $"{count} dead letters on {topic}");
        return topic;
    }

    private async Task<DeadLetterList> ListAsync(string topic, string query = "") =>
        await (await _http.GetAsync(new Uri(Subscription(topic, "worker", "deadletters") + query, UriKind.Relative))).ReadAsync<DeadLetterList>();

    private async Task<SubscriptionStatistics> StatsAsync(string topic) =>
        (await (await _http.GetAsync(Subscription(topic, "worker"))).ReadAsync<SubscriptionDescription>()).Stats;
}
