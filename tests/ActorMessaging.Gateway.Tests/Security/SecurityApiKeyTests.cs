using System.Net;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Hubs;
using ActorMessaging.Gateway.Security;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>API keys on the HTTP API: 401 without a valid key, 403 naming the permission and topic, admin for everything.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityApiKeyTests(SecurityFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task MissingKey_Is401Problem_WithCode4001_AndAChallengePerScheme()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics");

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
        Assert.Contains("X-Api-Key", problem.Detail, StringComparison.Ordinal);
        var challenges = response.Headers.WwwAuthenticate.Select(h => h.Scheme).ToList();
        Assert.Contains("Bearer", challenges);
        Assert.Contains("ApiKey", challenges);
    }

    [Fact]
    public async Task WrongKey_Is401Problem_SayingTheKeyIsNotValid()
    {
        using var response = await Http.SendAsync(HttpMethod.Post, "/v1/topics/orders.created/messages", "not-a-configured-key-at-all", body: Batch("x"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
        Assert.Equal("The API key is not valid.", problem.Detail);
    }

    [Fact]
    public async Task PublishKey_PublishesToMatchingTopic()
    {
        var topic = HttpApi.UniqueName("orders.created");
        await Http.CreateAsync(topic);

        var body = await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", PublisherKey, body: Batch("a", "b")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(2, JsonSerializer.Deserialize<PublishResponse>(body, HttpApi.Json)!.Results.Count);
    }

    [Fact]
    public async Task PublishKey_OnATopicOutsideEveryPattern_Is404LikeAMissingTopic()
    {
        // Issue 12: a refusal must not tell which names exist; the caller may not see this topic at all.
        using var response = await Http.SendAsync(HttpMethod.Post, "/v1/topics/payments.x/messages", PublisherKey, body: Batch("x"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
        Assert.Equal("Topic 'payments.x' not found.", problem.Detail);
    }

    [Fact]
    public async Task ConsumerKey_PublishingToATopicItSees_Is403_NamingPermissionAndTopic()
    {
        using var response = await Http.SendAsync(HttpMethod.Post, "/v1/topics/orders.x/messages", ConsumerKey, body: Batch("x"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCode.Forbidden);
        Assert.Contains("'publish:orders.x'", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("topic 'orders.x'", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PUT", "/v1/topics/orders.new")]
    [InlineData("DELETE", "/v1/topics/orders.new")]
    [InlineData("PUT", "/v1/topics/orders.new/subscriptions/s")]
    [InlineData("DELETE", "/v1/topics/orders.new/subscriptions/s")]
    [InlineData("POST", "/v1/topics/orders.new/subscriptions/s/deadletters/resubmit")]
    [InlineData("DELETE", "/v1/topics/orders.new/subscriptions/s/deadletters")]
    public async Task TopicAndSubscriptionAdministration_NeedsAdmin(string method, string path)
    {
        foreach (var key in new[] { PublisherKey, ConsumerKey })
        {
            using var response = await Http.SendAsync(new HttpMethod(method), path, key, body: new { });

            var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCode.Forbidden);
            Assert.Contains("'admin'", problem.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConsumerKey_PullsAcksAndReadsItsSubscription_ButCannotPublish()
    {
        var topic = HttpApi.UniqueName("orders.paid");
        await Http.CreateAsync(topic, "billing");
        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", PublisherKey, body: Batch("a")).ExpectAsync(HttpStatusCode.OK);

        var pulled = JsonSerializer.Deserialize<PullResponse>(
            await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/subscriptions/billing/pull", ConsumerKey, body: new { maxMessages = 10 }).ExpectAsync(HttpStatusCode.OK),
            HttpApi.Json)!;
        var ack = new { ackIds = pulled.Messages.Select(m => m.AckId).ToArray() };
        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/subscriptions/billing/ack", ConsumerKey, body: ack).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Get, $"/v1/topics/{topic}/subscriptions/billing", ConsumerKey).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Get, $"/v1/topics/{topic}/subscriptions/billing/deadletters", ConsumerKey).ExpectAsync(HttpStatusCode.OK);

        Assert.Single(pulled.Messages);
        var refused = await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", ConsumerKey, body: Batch("b")).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Contains($"'publish:{topic}'", refused, StringComparison.Ordinal);
        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/subscriptions/billing/pull", PublisherKey, body: new { }).ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AdminKey_DoesEverything()
    {
        var topic = HttpApi.UniqueName("anything");
        await Http.CreateAsync(topic, "s");
        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", AdminKey, body: Batch("a")).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/subscriptions/s/pull", AdminKey, body: new { }).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/subscriptions/s/deadletters/resubmit", AdminKey, body: new { }).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Delete, $"/v1/topics/{topic}/subscriptions/s/deadletters", AdminKey).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Delete, $"/v1/topics/{topic}/subscriptions/s", AdminKey).ExpectAsync(HttpStatusCode.NoContent);
        await Http.SendAsync(HttpMethod.Delete, $"/v1/topics/{topic}", AdminKey).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task TopicList_ShowsOnlyTopicsTheCallerHasAPermissionOn()
    {
        var mine = HttpApi.UniqueName("orders.listed");
        var theirs = HttpApi.UniqueName("payments.listed");
        await Http.CreateAsync(mine);
        await Http.CreateAsync(theirs);

        var seen = JsonSerializer.Deserialize<TopicList>(await Http.SendAsync(HttpMethod.Get, "/v1/topics?pageSize=1000", PublisherKey).ExpectAsync(HttpStatusCode.OK), HttpApi.Json)!;
        var all = JsonSerializer.Deserialize<TopicList>(await Http.SendAsync(HttpMethod.Get, "/v1/topics?pageSize=1000", AdminKey).ExpectAsync(HttpStatusCode.OK), HttpApi.Json)!;

        Assert.Contains(mine, seen.Topics);
        Assert.DoesNotContain(theirs, seen.Topics);
        Assert.All(seen.Topics, name => Assert.StartsWith("orders.", name, StringComparison.Ordinal));
        Assert.Contains(theirs, all.Topics);
    }

    [Fact]
    public async Task TopicList_PagesAndTokens_NeverNameATopicTheCallerMayNotSee()
    {
        // Issue 12: with pageSize=1 the page was empty but its token was base64 of the hidden topic's name, and following
        // tokens (or ?prefix=o) listed every topic.
        var hidden = HttpApi.UniqueName("aaa.secret");
        var mine = new[] { HttpApi.UniqueName("orders.paged"), HttpApi.UniqueName("orders.paged") };
        await Http.CreateAsync(hidden);
        foreach (var topic in mine)
        {
            await Http.CreateAsync(topic);
        }

        var seen = new List<string>();
        string? token = null;
        var tokens = new List<string>();
        do
        {
            var query = "/v1/topics?pageSize=1" + (token is null ? string.Empty : "&pageToken=" + token);
            var page = JsonSerializer.Deserialize<TopicList>(await Http.SendAsync(HttpMethod.Get, query, PublisherKey).ExpectAsync(HttpStatusCode.OK), HttpApi.Json)!;
            Assert.Single(page.Topics);
            seen.AddRange(page.Topics);
            token = page.NextPageToken;
            if (token is not null)
            {
                tokens.Add(token);
            }
        }
        while (token is not null);

        Assert.All(seen, name => Assert.StartsWith("orders.", name, StringComparison.Ordinal));
        Assert.Subset(seen.ToHashSet(), mine.ToHashSet());
        Assert.All(tokens, t => Assert.DoesNotContain("secret", Decode(t), StringComparison.Ordinal));

        var probed = JsonSerializer.Deserialize<TopicList>(await Http.SendAsync(HttpMethod.Get, "/v1/topics?prefix=a&pageSize=1", PublisherKey).ExpectAsync(HttpStatusCode.OK), HttpApi.Json)!;
        Assert.Empty(probed.Topics);
        Assert.Null(probed.NextPageToken);
        var narrowed = JsonSerializer.Deserialize<TopicList>(await Http.SendAsync(HttpMethod.Get, "/v1/topics?prefix=o&pageSize=1000", PublisherKey).ExpectAsync(HttpStatusCode.OK), HttpApi.Json)!;
        Assert.All(narrowed.Topics, name => Assert.StartsWith("orders.", name, StringComparison.Ordinal));

        // A forged token names where to start, and reveals nothing beyond what the caller may see.
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("a")).TrimEnd('=');
        var fromForged = JsonSerializer.Deserialize<TopicList>(await Http.SendAsync(HttpMethod.Get, $"/v1/topics?pageSize=1000&pageToken={forged}", PublisherKey).ExpectAsync(HttpStatusCode.OK), HttpApi.Json)!;
        Assert.All(fromForged.Topics, name => Assert.StartsWith("orders.", name, StringComparison.Ordinal));

        static string Decode(string token)
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
        }
    }

    [Fact]
    public async Task KeyWithoutPermissions_CannotListTopics()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics", NoPermissionKey);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCode.Forbidden);
    }

    [Fact]
    public async Task HealthAndOpenApi_StayAnonymous_AndTheDocumentDeclaresBothCredentials()
    {
        await Http.SendAsync(HttpMethod.Get, "/health").ExpectAsync(HttpStatusCode.OK);
        var document = await Http.SendAsync(HttpMethod.Get, "/openapi/v1.json").ExpectAsync(HttpStatusCode.OK);

        using var json = JsonDocument.Parse(document);
        var schemes = json.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("X-Api-Key", schemes.GetProperty("ApiKey").GetProperty("name").GetString());
        Assert.Equal("bearer", schemes.GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("security").GetArrayLength());
    }

    [Fact]
    public void HubMessageSize_IsTheConfiguredOne()
    {
        var options = fixture.Host.Services.GetRequiredService<IOptions<HubOptions<MessagingHub>>>().Value;

        Assert.Equal(2 * 1024 * 1024, options.MaximumReceiveMessageSize);
    }

    [Fact]
    public async Task Dashboard_NeedsAdmin()
    {
        using var anonymous = await Http.SendAsync(HttpMethod.Get, "/dashboard");
        using var publisher = await Http.SendAsync(HttpMethod.Get, "/dashboard", PublisherKey);
        using var admin = await Http.SendAsync(HttpMethod.Get, "/dashboard", AdminKey);

        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
        await publisher.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCode.Forbidden);
        Assert.True(admin.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"admin got {(int)admin.StatusCode}");
    }

    [Fact]
    public void EveryApiEndpoint_HasAnAccessRule_AndEveryRuleAnEndpoint()
    {
        var endpoints = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("v1/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, "/" + e.RoutePattern.RawText!.Trim('/'))))
            .ToHashSet();

        Assert.Empty(endpoints.Except(GatewayAccessRules.Api.Keys));
        Assert.Empty(GatewayAccessRules.Api.Keys.Except(endpoints));
    }
}
