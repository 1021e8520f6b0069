using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpSubscriptionsTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Put_NewSubscription_Returns201WithSettingsAndLocation()
    {
        var topic = await TopicAsync();

        using var response = await _http.PutJsonAsync(Subscription(topic, "billing"), new SubscriptionConfiguration { AckDeadlineSeconds = 45, DeadLettering = false });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/topics/{topic}/subscriptions/billing", response.Headers.Location?.OriginalString);
        var created = await response.ReadAsync<SubscriptionDescription>();
        Assert.Equal((topic, "billing"), (created.Topic, created.Name));
        Assert.Equal(
            new SubscriptionConfiguration { StartAt = "latest", AckDeadlineSeconds = 45, MaxDeliveryAttempts = 10, MinBackoffSeconds = 1, MaxBackoffSeconds = 60, DeadLettering = false, DeadLetterExpired = false, ExactlyOnce = false },
            created.Settings);
        Assert.Equal(new SubscriptionStatistics { Backlog = 0, InFlight = 0, DeadLettered = 0 }, created.Stats);
    }

    [Fact]
    public async Task Put_Existing_Returns200AndReplacesSettings_KeepingStartAt()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "billing", new SubscriptionConfiguration { StartAt = "earliest", MaxDeliveryAttempts = 3 });

        using var response = await _http.PutJsonAsync(Subscription(topic, "billing"), new SubscriptionConfiguration { AckDeadlineSeconds = 90 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.ReadAsync<SubscriptionDescription>();
        Assert.Equal("earliest", updated.Settings.StartAt);
        Assert.Equal(90, updated.Settings.AckDeadlineSeconds);
        Assert.Equal(10, updated.Settings.MaxDeliveryAttempts);
    }

    [Fact]
    public async Task Put_SameSettingsAgain_Returns200()
    {
        var topic = await TopicAsync();
        var settings = new SubscriptionConfiguration { StartAt = "earliest", MaxDeliveryAttempts = 3 };
        await _http.CreateSubscriptionAsync(topic, "billing", settings);

        using var response = await _http.PutJsonAsync(Subscription(topic, "billing"), settings);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.ReadAsync<SubscriptionDescription>()).Settings.MaxDeliveryAttempts);
    }

    [Fact]
    public async Task Put_Existing_WithAnotherStartAt_Is409ConflictingSettings_AndChangesNothing()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "billing");

        using var response = await _http.PutJsonAsync(Subscription(topic, "billing"), new SubscriptionConfiguration { StartAt = "earliest", MaxDeliveryAttempts = 2 });

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCode.ConflictingSettings);
        Assert.Contains("startAt", problem.Detail, StringComparison.Ordinal);
        var current = await (await _http.GetAsync(Subscription(topic, "billing"))).ReadAsync<SubscriptionDescription>();
        Assert.Equal(10, current.Settings.MaxDeliveryAttempts);
    }

    [Fact]
    public async Task StartAt_EarliestSeesRetainedMessages_LatestOnlyNewOnes()
    {
        var topic = await TopicAsync();
        await _http.PublishAsync(topic, JsonMessage("old"));
        await _http.CreateSubscriptionAsync(topic, "early", new SubscriptionConfiguration { StartAt = "earliest" });
        await _http.CreateSubscriptionAsync(topic, "late", new SubscriptionConfiguration { StartAt = "latest" });
        await _http.PublishAsync(topic, JsonMessage("new"));

        var early = await _http.PullExactlyAsync(topic, "early", 2);
        var late = await _http.PullExactlyAsync(topic, "late", 1);

        Assert.Equal(["old", "new"], early.Select(m => m.Data!.Value.GetString()));
        Assert.Equal("new", Assert.Single(late).Data!.Value.GetString());
    }

    [Fact]
    public async Task Get_ReportsBacklogInFlightAndOldestUnackedAge()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "billing");
        await _http.PublishAsync(topic, JsonMessage(1), JsonMessage(2), JsonMessage(3));
        await _http.PullExactlyAsync(topic, "billing", 1);

        var read = await (await _http.GetAsync(Subscription(topic, "billing"))).ReadAsync<SubscriptionDescription>();

        Assert.Equal(3, read.Stats.Backlog);
        Assert.Equal(1, read.Stats.InFlight);
        Assert.Equal(0, read.Stats.DeadLettered);
        Assert.NotNull(read.Stats.OldestUnackedAgeSeconds);
        Assert.True(read.Stats.OldestUnackedAgeSeconds >= 0);
    }

    [Fact]
    public async Task Get_IdleSubscription_SeesNewPublishesInItsBacklog()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "idle");
        await _http.PublishAsync(topic, JsonMessage(1), JsonMessage(2));

        var read = await (await _http.GetAsync(Subscription(topic, "idle"))).ReadAsync<SubscriptionDescription>();

        Assert.Equal(2, read.Stats.Backlog);
    }

    [Fact]
    public async Task List_ReturnsEverySubscriptionOfTheTopic_InNameOrder()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "b");
        await _http.CreateSubscriptionAsync(topic, "a", new SubscriptionConfiguration { MaxDeliveryAttempts = 2 });

        var list = await (await _http.GetAsync(new Uri($"/v1/topics/{topic}/subscriptions", UriKind.Relative))).ReadAsync<SubscriptionList>();

        Assert.Equal(["a", "b"], list.Subscriptions.Select(s => s.Name));
        Assert.Equal(2, list.Subscriptions[0].Settings.MaxDeliveryAttempts);
        Assert.All(list.Subscriptions, s => Assert.Equal(topic, s.Topic));
    }

    [Fact]
    public async Task List_OfUnknownTopic_Is404TopicNotFound()
    {
        using var response = await _http.GetAsync(new Uri($"/v1/topics/{UniqueName("missing")}/subscriptions", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Fact]
    public async Task Delete_Returns204_ThenTheSubscriptionIsGone()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "billing");

        using var deleted = await _http.DeleteAsync(Subscription(topic, "billing"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await _http.GetAsync(Subscription(topic, "billing"))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
        await (await _http.DeleteAsync(Subscription(topic, "billing"))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
        var topicInfo = await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>();
        Assert.Equal(0, topicInfo.SubscriptionCount);
    }

    [Fact]
    public async Task DeletingTheTopic_DeletesItsSubscriptions()
    {
        var topic = await TopicAsync();
        await _http.CreateSubscriptionAsync(topic, "billing");

        await _http.DeleteAsync(Topic(topic));

        await (await _http.GetAsync(Subscription(topic, "billing"))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
    }

    [Fact]
    public async Task Get_UnknownSubscription_Is404NamingIt()
    {
        var topic = await TopicAsync();

        using var response = await _http.GetAsync(Subscription(topic, "nobody"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
        Assert.Contains("'nobody'", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_OnUnknownTopic_Is404TopicNotFound()
    {
        using var response = await _http.PutJsonAsync(Subscription(UniqueName("missing"), "billing"), new SubscriptionConfiguration());

        await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Theory]
    [InlineData("""{"startAt":"middle"}""", "startAt")]
    [InlineData("""{"ackDeadlineSeconds":0}""", "ackDeadline")]
    [InlineData("""{"ackDeadlineSeconds":601}""", "ackDeadline")]
    [InlineData("""{"maxDeliveryAttempts":0}""", "maxDeliveryAttempts")]
    [InlineData("""{"maxDeliveryAttempts":101}""", "maxDeliveryAttempts")]
    [InlineData("""{"minBackoffSeconds":-1}""", "minBackoff")]
    [InlineData("""{"minBackoffSeconds":10,"maxBackoffSeconds":5}""", "maxBackoff")]
    public async Task Put_SettingOutOfRange_Is400InvalidSetting(string body, string setting)
    {
        var topic = await TopicAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Put, Subscription(topic, "billing"), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidSetting);
        Assert.Contains(setting, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"deadLettering":"yes"}""")]
    [InlineData("""{"ackDeadline":30}""")]
    [InlineData("""{"startAt":1}""")]
    public async Task Put_WrongTypeOrUnknownField_Is400InvalidArgument(string body)
    {
        var topic = await TopicAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Put, Subscription(topic, "billing"), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Theory]
    [InlineData("bad!name")]
    [InlineData(".dot")]
    public async Task AnyEndpoint_InvalidSubscriptionName_Is400InvalidName(string name)
    {
        var topic = await TopicAsync();

        await (await _http.PutJsonAsync(Subscription(topic, name), new SubscriptionConfiguration())).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
        await (await _http.GetAsync(Subscription(topic, name))).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
        await (await _http.PostJsonAsync(Subscription(topic, name, "pull"), new PullRequest())).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
    }

    private async Task<string> TopicAsync()
    {
        var topic = UniqueName("subs");
        await _http.CreateTopicAsync(topic);
        return topic;
    }
}
