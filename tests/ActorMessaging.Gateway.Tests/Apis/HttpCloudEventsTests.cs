using System.Net;
using System.Text;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.HttpApi;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpCloudEventsTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    private readonly HttpClient _http = fixture.Http;

    [Fact]
    public async Task Structured_MapsIdToMessageId_AttributesToCe_AndJsonData()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        const string cloudEvent = """
            {
              "specversion": "1.0",
              "id": "evt-1",
              "type": "com.example.order.created",
              "source": "/shop/orders",
              "subject": "order-42",
              "time": "2025-01-02T03:04:05Z",
              "tenant": "acme",
              "partitionkey": "customer-7",
              "datacontenttype": "application/json",
              "data": { "orderId": 42 }
            }
            """;

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), cloudEvent, "application/cloudevents+json");

        Assert.Equal(1, Assert.Single((await response.ReadAsync<PublishResponse>()).Results).Sequence);
        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal("evt-1", message.Id);
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal(42, message.Data!.Value.GetProperty("orderId").GetInt32());
        Assert.Equal("customer-7", message.OrderingKey);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["ce-specversion"] = "1.0",
                ["ce-type"] = "com.example.order.created",
                ["ce-source"] = "/shop/orders",
                ["ce-subject"] = "order-42",
                ["ce-time"] = "2025-01-02T03:04:05Z",
                ["ce-tenant"] = "acme",
            },
            message.Attributes);
    }

    [Fact]
    public async Task Structured_SameEventIdAgain_IsDuplicate()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();
        const string cloudEvent = """{"specversion":"1.0","id":"evt-1","type":"t","source":"s","data":1}""";

        using var first = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), cloudEvent, "application/cloudevents+json");
        using var second = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), cloudEvent, "application/cloudevents+json");

        Assert.False(Assert.Single((await first.ReadAsync<PublishResponse>()).Results).Duplicate);
        Assert.Equal(new PublishMessageResult { Sequence = 1, Duplicate = true }, Assert.Single((await second.ReadAsync<PublishResponse>()).Results));
    }

    [Fact]
    public async Task Structured_DataBase64_IsStoredAsBytes()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        var bytes = new byte[] { 1, 2, 3, 255 };
        var cloudEvent = $$"""{"specversion":"1.0","id":"b-1","type":"t","source":"s","datacontenttype":"application/octet-stream","data_base64":"{{Convert.ToBase64String(bytes)}}"}""";

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), cloudEvent, "application/cloudevents+json");

        Assert.True(response.IsSuccessStatusCode);
        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal(bytes, Convert.FromBase64String(message.DataBase64!));
        Assert.Equal("application/octet-stream", message.ContentType);
    }

    [Fact]
    public async Task Batch_PublishesEachEventInOrder()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        const string batch = """
            [
              {"specversion":"1.0","id":"a","type":"t","source":"s","data":"first"},
              {"specversion":"1.0","id":"b","type":"t","source":"s","datacontenttype":"text/plain","data":"second"}
            ]
            """;

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), batch, "application/cloudevents-batch+json");

        Assert.Equal([1L, 2], (await response.ReadAsync<PublishResponse>()).Results.Select(r => r.Sequence));
        var messages = await _http.PullExactlyAsync(topic, subscription, 2);
        Assert.Equal("first", messages[0].Data!.Value.GetString());
        Assert.Equal("text/plain", messages[1].ContentType);
        Assert.Equal("second", Encoding.UTF8.GetString(Convert.FromBase64String(messages[1].DataBase64!)));
    }

    [Fact]
    public async Task Binary_MapsHeadersToAttributes_AndTheBodyToData()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Messages(topic))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("plain text body")),
        };
        request.Content.Headers.ContentType = new("text/plain");
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", "bin-1");
        request.Headers.Add("ce-type", "com.example.note");
        request.Headers.Add("ce-source", "/notes");
        request.Headers.Add("ce-subject", "caf%C3%A9%20au%20lait");

        using var response = await _http.SendAsync(request);

        Assert.Single((await response.ReadAsync<PublishResponse>()).Results);
        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal("bin-1", message.Id);
        Assert.Equal("text/plain", message.ContentType);
        Assert.Equal("plain text body", Encoding.UTF8.GetString(Convert.FromBase64String(message.DataBase64!)));
        Assert.Equal("com.example.note", message.Attributes!["ce-type"]);
        Assert.Equal("/notes", message.Attributes["ce-source"]);
        Assert.Equal("café au lait", message.Attributes["ce-subject"]);
        Assert.Equal("1.0", message.Attributes["ce-specversion"]);
    }

    [Fact]
    public async Task Binary_JsonBody_IsDeliveredAsJsonData()
    {
        var (topic, subscription) = await TopicWithSubscriptionAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Messages(topic))
        {
            Content = new StringContent("""{"n":1}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-id", "bin-json");
        request.Headers.Add("ce-type", "t");
        request.Headers.Add("ce-source", "s");

        using var response = await _http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode);
        var message = Assert.Single(await _http.PullExactlyAsync(topic, subscription, 1));
        Assert.Equal(1, message.Data!.Value.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"x","source":"s","data":1}""", "application/cloudevents+json")]
    [InlineData("""{"specversion":"9.9","id":"x","type":"t","source":"s"}""", "application/cloudevents+json")]
    [InlineData("""{"id":"x","type":"t","source":"s"}""", "application/cloudevents+json")]
    [InlineData("""{"specversion":"1.0",""", "application/cloudevents+json")]
    [InlineData("""{"specversion":"1.0","id":"x","type":"t","source":"s"}""", "application/cloudevents-batch+json")]
    [InlineData("""<event/>""", "application/cloudevents+xml")]
    public async Task Structured_InvalidEvent_Is400InvalidMessage(string body, string contentType)
    {
        var (topic, _) = await TopicWithSubscriptionAsync();

        using var response = await _http.SendTextAsync(HttpMethod.Post, Messages(topic), body, contentType);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidMessage);
        Assert.Contains(topic, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_MissingRequiredAttribute_Is400InvalidMessage()
    {
        var (topic, _) = await TopicWithSubscriptionAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Messages(topic)) { Content = new StringContent("x") };
        request.Headers.Add("ce-specversion", "1.0");
        request.Headers.Add("ce-type", "t");
        request.Headers.Add("ce-source", "s");

        using var response = await _http.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCode.InvalidMessage);
    }

    private async Task<(string Topic, string Subscription)> TopicWithSubscriptionAsync()
    {
        var topic = UniqueName("events");
        await _http.CreateTopicAsync(topic);
        await _http.CreateSubscriptionAsync(topic, "all");
        return (topic, "all");
    }
}
