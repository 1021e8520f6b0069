using System.Net;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Rate limits per caller: 429 problem with Retry-After on HTTP, 4003 on the hub; other callers and health are unaffected.</summary>
public sealed class SecurityRateLimitTests(SecurityRateLimitFixture fixture) : IClassFixture<SecurityRateLimitFixture>
{
    private HttpClient Http => fixture.Host.Http;

    [Fact]
    public async Task CallerOverItsBurst_Gets429WithRetryAfter_OthersDoNot_AndItRefills()
    {
        // Permits refill once a second, so at most one refill can fall inside this quick sequence.
        var granted = 0;
        HttpResponseMessage refused;
        while (true)
        {
            var response = await Http.SendAsync(HttpMethod.Get, "/v1/topics", SecurityRateLimitFixture.HttpCallerKey);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                refused = response;
                break;
            }

            response.Dispose();
            Assert.True(++granted <= SecurityRateLimitFixture.Burst + 1, $"{granted} requests were granted");
        }

        using (refused)
        {
            Assert.InRange(granted, SecurityRateLimitFixture.Burst, SecurityRateLimitFixture.Burst + 1);
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, ErrorCode.RateLimited);
            Assert.Contains("key:http-caller", problem.Detail, StringComparison.Ordinal);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After was '{refused.Headers.RetryAfter}'");
        }

        await Http.SendAsync(HttpMethod.Get, "/v1/topics", SecurityRateLimitFixture.OtherCallerKey).ExpectAsync(HttpStatusCode.OK);
        for (var i = 0; i < 10; i++)
        {
            await Http.SendAsync(HttpMethod.Get, "/health").ExpectAsync(HttpStatusCode.OK);
        }

        await Eventually.TrueAsync(async () =>
        {
            using var retry = await Http.SendAsync(HttpMethod.Get, "/v1/topics", SecurityRateLimitFixture.HttpCallerKey);
            return retry.StatusCode == HttpStatusCode.OK;
        }, "the caller's bucket to refill", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task HubCallerOverItsBurst_GetsHubError4003()
    {
        // Negotiate and connect take two permits; the calls take the rest.
        await using var connection = Hub(fixture.Host.Address, configure: WithApiKey(SecurityRateLimitFixture.HubCallerKey));
        await connection.StartAsync();

        HubException? limited = null;
        for (var call = 0; call < SecurityRateLimitFixture.Burst + 2 && limited is null; call++)
        {
            var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<string>("Subscribe", "rate.missing", "missing", null));
            if (!error.Message.StartsWith("2002 ", StringComparison.Ordinal) && !error.Message.StartsWith("2001 ", StringComparison.Ordinal))
            {
                limited = error;
            }
        }

        Assert.NotNull(limited);
        Assert.StartsWith("4003 RateLimited: ", limited.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }
}
