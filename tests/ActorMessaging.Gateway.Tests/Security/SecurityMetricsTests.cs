using System.Net;
using ActorMessaging.Gateway.Security;
using Microsoft.Extensions.Hosting;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Issue 12: <c>/metrics</c> was anonymous in Production and named every topic and subscription with its backlog. With
/// authentication on, it needs the <c>metrics</c> permission (or <c>admin</c>), and <c>metrics</c> grants nothing else.
/// </summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityMetricsTests(SecurityFixture fixture)
{
    private HttpClient Http => fixture.Http;

    [Fact]
    public async Task Metrics_WithoutACredential_Is401()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, "/metrics");

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);
    }

    [Fact]
    public async Task Metrics_WithATopicPermissionOnly_Is403_NamingTheMetricsPermission()
    {
        using var response = await Http.SendAsync(HttpMethod.Get, "/metrics", PublisherKey);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCode.Forbidden);
        Assert.Contains("'metrics'", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithTheMetricsPermission_OrAdmin_IsServed()
    {
        var scraper = Token("prometheus", Permissions("metrics"));

        var scraped = await Http.SendAsync(HttpMethod.Get, "/metrics", token: scraper).ExpectAsync(HttpStatusCode.OK);
        await Http.SendAsync(HttpMethod.Get, "/metrics", AdminKey).ExpectAsync(HttpStatusCode.OK);

        Assert.Contains("# TYPE", scraped, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMetricsPermission_GrantsNoTopic()
    {
        var scraper = Token("prometheus", Permissions("metrics"));
        await Http.CreateAsync(HttpApi.UniqueName("orders.scraped"));

        await Http.SendAsync(HttpMethod.Get, "/v1/topics", token: scraper).ExpectAsync(HttpStatusCode.Forbidden);
        await Http.SendAsync(HttpMethod.Post, "/v1/topics/orders.x/messages", token: scraper, body: Batch("x")).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public void TheGuardedPath_IsTheScrapePath() =>
        Assert.Equal(ServiceDefaultsExtensions.MetricsPath, GatewayAccessRules.MetricsPath);
}
