using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpTopicsTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Put_NewTopic_Returns201WithLocationAndDefaultsFilledIn()
    {
        var topic = UniqueName("orders");

        using var response = await _http.PutJsonAsync(Topic(topic), new TopicConfiguration { RetentionSeconds = 3600 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/topics/{topic}", response.Headers.Location?.OriginalString);
        var created = await response.ReadAsync<TopicDescription>();
        Assert.Equal(topic, created.Name);
        Assert.Equal(3600, created.Settings.RetentionSeconds);
        Assert.Equal(256 * 1024, created.Settings.MaxMessageBytes);
        Assert.Equal(600, created.Settings.DedupWindowSeconds);
        Assert.Equal(0, created.LastSequence);
        Assert.Equal(0, created.SubscriptionCount);
    }

    [Fact]
    public async Task Put_ExistingTopic_Returns200AndReplacesSettings_OmittedFieldsBackToDefaults()
    {
        var topic = UniqueName("orders");
        await _http.CreateTopicAsync(topic, new TopicConfiguration { RetentionSeconds = 3600, MaxMessageBytes = 1000 });

        using var response = await _http.PutJsonAsync(Topic(topic), new TopicConfiguration { DedupWindowSeconds = 0 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.ReadAsync<TopicDescription>();
        Assert.Equal(0, updated.Settings.DedupWindowSeconds);
        Assert.Equal(7 * 24 * 3600, updated.Settings.RetentionSeconds);
        Assert.Equal(256 * 1024, updated.Settings.MaxMessageBytes);
        var read = await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>();
        Assert.Equal(updated.Settings, read.Settings);
    }

    [Fact]
    public async Task Put_SameSettingsAgain_Returns200AndChangesNothing()
    {
        var topic = UniqueName("orders");
        var created = await _http.CreateTopicAsync(topic);

        using var response = await _http.PutJsonAsync(Topic(topic), new TopicConfiguration());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(created, await response.ReadAsync<TopicDescription>());
    }

    [Fact]
    public async Task Put_EmptyBody_CreatesWithDefaults()
    {
        var topic = UniqueName("orders");

        using var response = await _http.PutAsync(Topic(topic), content: null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(256 * 1024, (await response.ReadAsync<TopicDescription>()).Settings.MaxMessageBytes);
    }

    [Fact]
    public async Task Get_ReportsLastSequenceAndSubscriptionCount()
    {
        var topic = UniqueName("orders");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "a");
        await _http.CreateSubscriptionAsync(topic, "b");
        await _http.PublishAsync(topic, JsonMessage(1), JsonMessage(2), JsonMessage(3));

        var topicInfo = await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>();

        Assert.Equal(3, topicInfo.LastSequence);
        Assert.Equal(2, topicInfo.SubscriptionCount);
    }

    [Fact]
    public async Task List_FiltersByPrefix_AndPagesWithTokens()
    {
        var prefix = UniqueName("list");
        var names = Enumerable.Range(0, 5).Select(i => $"{prefix}.{i}").ToList();
        foreach (var name in names)
        {
            await _http.CreateTopicAsync(name);
        }

        await _http.CreateTopicAsync(UniqueName("other"));
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var uri = new Uri($"/v1/topics?prefix={prefix}&pageSize=2{(token is null ? string.Empty : "&pageToken=" + token)}", UriKind.Relative);
            var page = await (await _http.GetAsync(uri)).ReadAsync<TopicList>();
            Assert.True(page.Topics.Count <= 2);
            seen.AddRange(page.Topics);
            token = page.NextPageToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(names, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Delete_Returns204_ThenTheTopicIsGone()
    {
        var topic = UniqueName("orders");
        await _http.CreateTopicAsync(topic);

        using var deleted = await _http.DeleteAsync(Topic(topic));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await _http.GetAsync(Topic(topic))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
        await (await _http.DeleteAsync(Topic(topic))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
        var list = await (await _http.GetAsync(new Uri($"/v1/topics?prefix={topic}", UriKind.Relative))).ReadAsync<TopicList>();
        Assert.Empty(list.Topics);
    }

    [Fact]
    public async Task Get_UnknownTopic_Is404ProblemNamingTheTopic()
    {
        var topic = UniqueName("missing");

        using var response = await _http.GetAsync(Topic(topic));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
        Assert.Contains(topic, problem.Detail, StringComparison.Ordinal);
        Assert.Equal($"/v1/topics/{topic}", problem.Instance);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has%20space")]
    [InlineData("bang!")]
    [InlineData("slash%2Finside")]
    public async Task Put_InvalidName_Is400InvalidName(string name)
    {
        using var response = await _http.PutJsonAsync(new Uri($"/v1/topics/{name}", UriKind.Relative), new TopicConfiguration());

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
    }

    [Fact]
    public async Task AnyEndpoint_NameLongerThan200_Is400InvalidName()
    {
        var name = new string('a', 201);

        await (await _http.GetAsync(Topic(name))).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
        await (await _http.DeleteAsync(Topic(name))).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
    }

    [Theory]
    [InlineData("""{"retentionSeconds":1}""", "retention")]
    [InlineData("""{"maxMessageBytes":0}""", "maxMessageBytes")]
    [InlineData("""{"maxMessageBytes":2000000}""", "maxMessageBytes")]
    [InlineData("""{"dedupWindowSeconds":-1}""", "dedupWindow")]
    [InlineData("""{"retentionSeconds":1e300}""", "retentionSeconds")]
    public async Task Put_SettingOutOfRange_Is400InvalidSettingNamingIt(string body, string setting)
    {
        var topic = UniqueName("orders");

        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(topic), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidSetting);
        Assert.Contains(setting, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(topic, problem.Detail, StringComparison.Ordinal);
        await (await _http.GetAsync(Topic(topic))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Fact]
    public async Task Put_UnknownField_Is400NamingTheField()
    {
        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(UniqueName("orders")), """{"retentionSecs":60}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.Contains("retentionSecs", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"retentionSeconds":""")]
    [InlineData("""not json""")]
    [InlineData("""{"maxMessageBytes":"big"}""")]
    [InlineData("""{"maxMessageBytes":"1000"}""")]
    [InlineData("""{"maxMessageBytes":1.5}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""null""")]
    [InlineData("""{"maxMessageBytes":1000,"maxMessageBytes":2000}""")]
    public async Task Put_MalformedOrMistypedBody_Is400InvalidArgument(string body)
    {
        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(UniqueName("orders")), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Fact]
    public async Task Put_NonJsonContentType_Is400()
    {
        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(UniqueName("orders")), "retention=60", "text/plain");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.Contains("text/plain", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_BodyOver1MiB_Is413()
    {
        var body = $$"""{"retentionSeconds":60,"padding":"{{new string('x', 1024 * 1024)}}"}""";

        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(UniqueName("orders")), body);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCode.BatchTooLarge);
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=1001")]
    [InlineData("pageSize=ten")]
    [InlineData("pageToken=%25%25%25")]
    public async Task List_BadPaging_Is400InvalidArgument(string query)
    {
        using var response = await _http.GetAsync(new Uri($"/v1/topics?{query}", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }
}
