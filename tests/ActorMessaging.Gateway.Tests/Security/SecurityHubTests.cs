using System.Net;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The hub: credentials at negotiate (header or query string), permissions per method, connections per caller.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityHubTests(SecurityFixture fixture)
{
    private Uri Gateway => fixture.Host.Address;

    [Fact]
    public async Task Negotiate_WithoutCredentials_Is401Problem()
    {
        using var response = await fixture.Http.SendAsync(HttpMethod.Post, "/hubs/messaging/negotiate?negotiateVersion=1");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCode.Unauthenticated);

        await using var connection = Hub(Gateway);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task AccessTokenInQueryString_Connects_AndPublishes()
    {
        var topic = HttpApi.UniqueName("orders.hub");
        await fixture.Http.CreateAsync(topic);
        var token = Token("svc-hub", Permissions("publish:orders.*"));

        await using var connection = Hub(Gateway, "?access_token=" + Uri.EscapeDataString(token));
        await connection.StartAsync();
        var results = await connection.InvokeAsync<List<PublishMessageResult>>("Publish", topic, new[] { new { data = "a" } });

        Assert.Single(results);
    }

    [Fact]
    public async Task Connection_ClosesWhenItsTokenExpires()
    {
        var token = Token("svc-short", Permissions("subscribe:orders.*"), expiresIn: TimeSpan.FromSeconds(3));
        await using var connection = Hub(Gateway, "?access_token=" + Uri.EscapeDataString(token));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        await connection.StartAsync();

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Fact]
    public async Task ApiKeyInQueryString_Connects()
    {
        await using var connection = Hub(Gateway, "?api_key=" + Uri.EscapeDataString(ConsumerKey));

        await connection.StartAsync();

        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Subscribe_ToAHiddenTopic_IsHubError2001_PublishToAVisibleOne_Is4002_NamingPermissionAndTopic()
    {
        await using var connection = Hub(Gateway, configure: WithApiKey(ConsumerKey));
        await connection.StartAsync();

        var subscribe = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<string>("Subscribe", "payments.x", null, null));
        var publish = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<object>("Publish", "orders.x", new[] { new { data = "a" } }));

        Assert.Equal("2001 TopicNotFound: Topic 'payments.x' not found.", subscribe.Message);
        Assert.StartsWith("4002 Forbidden: ", publish.Message, StringComparison.Ordinal);
        Assert.Contains("'publish:orders.x'", publish.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_ToAllowedTopic_GetsDeliveries()
    {
        var topic = HttpApi.UniqueName("orders.live");
        await fixture.Http.CreateAsync(topic);
        await using var connection = Hub(Gateway, configure: WithApiKey(ConsumerKey));
        var received = new TaskCompletionSource<List<ReceivedMessage>>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<List<ReceivedMessage>>("Deliver", messages => received.TrySetResult(messages));
        await connection.StartAsync();

        await connection.InvokeAsync<string>("Subscribe", topic, null, null);
        await fixture.Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", PublisherKey, body: Batch("hello")).ExpectAsync(HttpStatusCode.OK);

        Assert.Single(await received.Task.WaitAsync(Eventually.DefaultTimeout));
    }

    [Fact]
    public async Task ConnectionsPerCaller_AreLimited_AtNegotiate_AndFreedOnDisconnect()
    {
        await using var first = Hub(Gateway, configure: WithApiKey(ConnectionsKey));
        await using var second = Hub(Gateway, configure: WithApiKey(ConnectionsKey));
        await first.StartAsync();
        await second.StartAsync();

        await using var third = Hub(Gateway, configure: WithApiKey(ConnectionsKey));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => third.StartAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        await using var otherCaller = Hub(Gateway, configure: WithApiKey(ConsumerKey));
        await otherCaller.StartAsync();

        await first.StopAsync();
        await Eventually.TrueAsync(async () =>
        {
            await using var retry = Hub(Gateway, configure: WithApiKey(ConnectionsKey));
            try
            {
                await retry.StartAsync();
                return true;
            }
            catch (HttpRequestException exception) when (exception.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return false;
            }
        }, "a connection slot to be freed by the disconnect");
    }

    [Fact]
    public async Task ConnectionsPerCaller_AreLimited_ForClientsThatSkipNegotiation()
    {
        var direct = WithApiKey(ConnectionsKey) + (options =>
        {
            options.SkipNegotiation = true;
            options.Transports = HttpTransportType.WebSockets;
        });
        await using var first = Hub(Gateway, configure: direct);
        await using var second = Hub(Gateway, configure: direct);
        await first.StartAsync();
        await second.StartAsync();

        await using var third = Hub(Gateway, configure: direct);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        third.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        try
        {
            await third.StartAsync();
        }
        catch (Exception exception)
        {
            closed.TrySetResult(exception);
        }

        var error = await closed.Task.WaitAsync(Eventually.DefaultTimeout);
        Assert.Contains("4003 RateLimited: ", error?.Message, StringComparison.Ordinal);
    }
}
