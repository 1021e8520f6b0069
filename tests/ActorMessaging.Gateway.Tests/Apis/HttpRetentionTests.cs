using System.Net;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

/// <summary><c>retainAckedMessages</c> on <c>PUT /v1/topics/{topic}</c>; what it does is covered by the grain tests.</summary>
public sealed class HttpRetentionTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task RetainAckedMessages_RoundTrips_AndAnOmittedFieldIsBackToTrue()
    {
        var topic = UniqueName("retain");

        using var created = await _http.SendTextAsync(HttpMethod.Put, Topic(topic), """{"retainAckedMessages":false}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False((await created.ReadAsync<TopicDescription>()).Settings.RetainAckedMessages);
        Assert.False((await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).Settings.RetainAckedMessages);

        using var replaced = await _http.PutJsonAsync(Topic(topic), new TopicConfiguration { RetentionSeconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.True((await replaced.ReadAsync<TopicDescription>()).Settings.RetainAckedMessages);
    }

    [Theory]
    [InlineData("""{"retainAckedMessages":"no"}""")]
    [InlineData("""{"retainAckedMessages":0}""")]
    [InlineData("""{"retainAckedMessages":null,"retainAcked":false}""")]
    public async Task RetainAckedMessages_NotABoolean_Is400NamingTheField_AndCreatesNothing(string body)
    {
        var topic = UniqueName("retain");

        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(topic), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.Contains("retainAcked", problem.Detail, StringComparison.Ordinal);
        await (await _http.GetAsync(Topic(topic))).AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Fact]
    public async Task RetainAckedMessages_BadValueOnAnExistingTopic_ChangesNothing()
    {
        var topic = UniqueName("retain");
        await _http.CreateTopicAsync(topic, new TopicConfiguration { RetainAckedMessages = false });

        using var response = await _http.SendTextAsync(HttpMethod.Put, Topic(topic), """{"retainAckedMessages":"yes"}""");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.False((await (await _http.GetAsync(Topic(topic))).ReadAsync<TopicDescription>()).Settings.RetainAckedMessages);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesRetainAckedMessages()
    {
        var document = await _http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("\"retainAckedMessages\"", document, StringComparison.Ordinal);
    }
}
