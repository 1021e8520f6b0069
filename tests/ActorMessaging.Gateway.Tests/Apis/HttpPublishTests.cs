using System.Net;
using System.Text;
using System.Text.Json;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpPublishTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Publish_JsonData_IsDeliveredAsDataWithJsonContentType()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();

        var published = await _http.PublishAsync(topic, JsonMessage(new { orderId = 42, items = (string[])["a", "b"] }));

        var result = Assert.Single(published.Results);
        Assert.Equal(1, result.Sequence);
        Assert.False(result.Duplicate);
        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal("application/json", message.ContentType);
        Assert.Null(message.DataBase64);
        Assert.Equal(42, message.Data!.Value.GetProperty("orderId").GetInt32());
        Assert.Equal("b", message.Data!.Value.GetProperty("items")[1].GetString());
        Assert.Equal(1, message.DeliveryAttempt);
    }

    [Fact]
    public async Task Publish_JsonScalarWithOwnJsonContentType_KeepsTheContentType()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();

        await _http.PublishAsync(topic, new PublishMessage { Data = JsonSerializer.SerializeToElement("hello"), ContentType = "application/vnd.greeting+json" });

        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal("application/vnd.greeting+json", message.ContentType);
        Assert.Equal("hello", message.Data!.Value.GetString());
    }

    [Fact]
    public async Task Publish_Base64Data_IsDeliveredAsTheSameBytes()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var bytes = new byte[] { 0, 1, 2, 250, 255 };

        await _http.PublishAsync(topic, new PublishMessage { DataBase64 = Convert.ToBase64String(bytes), ContentType = "application/octet-stream" });

        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Null(message.Data);
        Assert.Equal(bytes, Convert.FromBase64String(message.DataBase64!));
        Assert.Equal("application/octet-stream", message.ContentType);
    }

    [Fact]
    public async Task Publish_AttributesAndOrderingKey_AreDelivered()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var attributes = new Dictionary<string, string> { ["region"] = "eu", ["priority"] = "high" };

        await _http.PublishAsync(topic, JsonMessage(1, id: "m-1") with { Attributes = attributes, OrderingKey = "customer-7" });

        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal(attributes, message.Attributes);
        Assert.Equal("customer-7", message.OrderingKey);
        Assert.Equal("m-1", message.Id);
    }

    [Fact]
    public async Task Publish_SameIdAgain_IsDuplicateWithTheOriginalSequence_AndDeliveredOnce()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        await _http.PublishAsync(topic, JsonMessage("first", id: "order-1"));

        var again = await _http.PublishAsync(topic, JsonMessage("second", id: "order-1"), JsonMessage("third", id: "order-2"));

        Assert.Equal([new PublishMessageResult { Sequence = 1, Duplicate = true }, new PublishMessageResult { Sequence = 2, Duplicate = false }], again.Results);
        var messages = await _http.PullExactlyAsync(topic, subscription, 2);
        Assert.Equal(["first", "third"], messages.Select(m => m.Data!.Value.GetString()));
    }

    [Fact]
    public async Task Publish_Batch_ReturnsResultsInOrder()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        var published = await _http.PublishAsync(topic, [.. Enumerable.Range(0, 5).Select(i => JsonMessage(i))]);

        Assert.Equal([1L, 2, 3, 4, 5], published.Results.Select(r => r.Sequence));
    }

    [Theory]
    [InlineData("""{"messages":[{"data":1,"dataBase64":"AQ=="}]}""", "exactly one")]
    [InlineData("""{"messages":[{"contentType":"text/plain"}]}""", "exactly one")]
    [InlineData("""{"messages":[{"data":null}]}""", "exactly one")]
    [InlineData("""{"messages":[{"dataBase64":"not base64!"}]}""", "base64")]
    [InlineData("""{"messages":[{"data":1,"id":""}]}""", "id")]
    [InlineData("""{"messages":[null]}""", "null")]
    public async Task Publish_InvalidMessage_Is400InvalidMessage(string body, string detail)
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidMessage);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
        Assert.Contains(topic, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"messages":[]}""")]
    [InlineData("""{}""")]
    [InlineData("")]
    public async Task Publish_NoMessages_Is400InvalidArgument(string body)
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    [Theory]
    [InlineData("""{"messages":[{"data":1,"priority":5}]}""", "priority")]
    [InlineData("""{"messages":[{"data":1}],"topic":"x"}""", "topic")]
    public async Task Publish_UnknownField_Is400NamingIt(string body, string field)
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
        Assert.Contains(field, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AttributeValueTooLong_Is400AttributesTooLarge()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();
        var message = JsonMessage(1) with { Attributes = new Dictionary<string, string> { ["k"] = new string('v', 2000) } };

        using var response = await _http.PostJsonAsync(Messages(topic), new PublishRequest { Messages = [message] });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.AttributesTooLarge);
    }

    [Fact]
    public async Task Publish_ToUnknownTopic_Is404TopicNotFound()
    {
        var topic = UniqueName("missing");

        using var response = await _http.PostJsonAsync(Messages(topic), new PublishRequest { Messages = [JsonMessage(1)] });

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
        Assert.Contains(topic, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_InvalidTopicName_Is400InvalidName()
    {
        using var response = await _http.PostJsonAsync(Messages("no!pe"), new PublishRequest { Messages = [JsonMessage(1)] });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidName);
    }

    [Fact]
    public async Task Publish_MessageOverTheTopicsMaximum_Is413MessageTooLarge()
    {
        var (topic, _) = await TopicWithSubscriptionAsync(new TopicConfiguration { MaxMessageBytes = 100 });

        using var response = await _http.PostJsonAsync(Messages(topic), new PublishRequest { Messages = [new PublishMessage { DataBase64 = Convert.ToBase64String(new byte[200]) }] });

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCode.MessageTooLarge);
        Assert.Contains("100", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_TooManyMessages_Is413BatchTooLarge()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.PostJsonAsync(Messages(topic), new PublishRequest { Messages = [.. Enumerable.Range(0, 1001).Select(i => JsonMessage(i))] });

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCode.BatchTooLarge);
    }

    [Fact]
    public async Task Publish_BodyOver16MiB_Is413BatchTooLarge()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();
        var payload = Convert.ToBase64String(new byte[900 * 1024]);
        var body = new StringBuilder("""{"messages":[""");
        for (var i = 0; i < 20; i++)
        {
            body.Append(i == 0 ? string.Empty : ",").Append($$"""{"dataBase64":"{{payload}}"}""");
        }

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body.Append("]}").ToString());

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, ErrorCode.BatchTooLarge);
    }

    [Fact]
    public async Task Publish_UnsupportedContentType_Is400()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), "hello", "text/plain");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    private async Task<(string Topic, string Subscription)> TopicWithSubscriptionAsync(TopicConfiguration? settings = null)
    {
        var topic = UniqueName("publish");
        await _http.CreateTopicAsync(topic, settings);
        await _http.CreateSubscriptionAsync(topic, "all");
        return (topic, "all");
    }
}
