using System.Text.Json;

namespace ActorMessaging.Gateway.Tests;

public sealed class HttpOpenApiTests(HttpApiFixture fixture) : IClassFixture<HttpApiFixture>
{
    [Fact]
    public async Task OpenApiDocument_IsServed_AndListsEveryApiPath()
    {
        using var response = await fixture.Http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/v1/topics",
            "/v1/topics/{topic}",
            "/v1/topics/{topic}/messages",
            "/v1/topics/{topic}/subscriptions",
            "/v1/topics/{topic}/subscriptions/{subscription}",
            "/v1/topics/{topic}/subscriptions/{subscription}/pull",
            "/v1/topics/{topic}/subscriptions/{subscription}/ack",
            "/v1/topics/{topic}/subscriptions/{subscription}/nack",
            "/v1/topics/{topic}/subscriptions/{subscription}/extend",
            "/v1/topics/{topic}/subscriptions/{subscription}/deadletters",
            "/v1/topics/{topic}/subscriptions/{subscription}/deadletters/resubmit",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));
        Assert.All(paths, path => Assert.StartsWith("/v1/", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesRequestBodies()
    {
        using var document = JsonDocument.Parse(await fixture.Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var publish = document.RootElement.GetProperty("paths").GetProperty("/v1/topics/{topic}/messages").GetProperty("post");
        var content = publish.GetProperty("requestBody").GetProperty("content");
        Assert.True(content.TryGetProperty("application/json", out _));
        Assert.True(content.TryGetProperty("application/cloudevents+json", out _));
        Assert.True(publish.GetProperty("responses").TryGetProperty("413", out _));
    }
}
