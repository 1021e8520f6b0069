using System.Net;
using System.Security.Cryptography;
using ActorMessaging.Contracts;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>JWT bearer tokens signed with the configured symmetric key: permissions from the claims, 401 for bad tokens.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityJwtTests(SecurityFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Token_WithPermissionsArray_PublishesWhereAllowed_And403OnAVisibleTopic_404OnAHiddenOne()
    {
        var topic = HttpApi.UniqueName("orders.jwt");
        await Http.CreateAsync(topic);
        var token = Token("svc-orders", Permissions("publish:orders.*", "subscribe:audit"));

        await Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", token: token, body: Batch("a")).ExpectAsync(HttpStatusCode.OK);
        using var refused = await Http.SendAsync(HttpMethod.Post, "/v1/topics/audit/messages", token: token, body: Batch("a"));
        using var hidden = await Http.SendAsync(HttpMethod.Post, "/v1/topics/payments.x/messages", token: token, body: Batch("a"));

        var problem = await refused.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCode.Forbidden);
        Assert.Contains("'publish:audit'", problem.Detail, StringComparison.Ordinal);
        await hidden.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Theory]
    [InlineData("permissions", "subscribe:orders.* publish:audit")]
    [InlineData("scope", "openid profile subscribe:orders.*")]
    [InlineData("scp", "subscribe:orders.*")]
    public async Task SpaceSeparatedPermissions_AndScopes_AreRead(string claim, string value)
    {
        var token = Token("svc-scopes", value, claim: claim);

        // Allowed: the topic is looked up (and is missing); a topic no permission matches: 404 before any lookup.
        using var allowed = await Http.SendAsync(HttpMethod.Get, $"/v1/topics/{HttpApi.UniqueName("orders.scoped")}/subscriptions/s", token: token);
        using var refused = await Http.SendAsync(HttpMethod.Get, "/v1/topics/payments.scoped/subscriptions/s", token: token);

        await allowed.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.SubscriptionNotFound);
        await refused.AssertProblemAsync(HttpStatusCode.NotFound, ErrorCode.TopicNotFound);
    }

    [Fact]
    public async Task AdminToken_CreatesTopics()
    {
        var token = Token("ops-person", Permissions("admin"));

        await Http.SendAsync(HttpMethod.Put, $"/v1/topics/{HttpApi.UniqueName("by-jwt")}", token: token, body: new { }).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ExpiredToken_Is401_SayingItExpired()
    {
        var token = Token("svc-late", Permissions("admin"), expiresIn: TimeSpan.FromHours(-1));

        using var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics", token: token);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
        Assert.Equal("The bearer token has expired.", problem.Detail);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer" && h.Parameter?.Contains("invalid_token", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKey_Is401()
    {
        var token = Token("svc-forged", Permissions("admin"), key: RandomNumberGenerator.GetBytes(32));

        using var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics", token: token);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
        Assert.Equal("The bearer token's signature is not valid.", problem.Detail);
    }

    [Fact]
    public async Task TokenForAnotherAudience_Is401()
    {
        var token = Token("svc-elsewhere", Permissions("admin"), audience: "some-other-api");

        using var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics", token: token);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
    }

    [Fact]
    public async Task MalformedToken_Is401()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics", token: "not.a.jwt");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
    }
}
