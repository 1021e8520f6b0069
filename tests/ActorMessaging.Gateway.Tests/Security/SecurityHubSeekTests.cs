using System.Net;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static ActorMessaging.Gateway.Tests.SecurityTestSetup;

namespace ActorMessaging.Gateway.Tests;

/// <summary>The hub's <c>Seek</c> needs what the HTTP seek needs: <c>subscribe:</c> on the topic.</summary>
[Collection(SecurityCollection.Name)]
public sealed class SecurityHubSeekTests(SecurityFixture fixture)
{
    [Fact]
    public async Task Seek_WithoutSubscribePermission_IsHubError4002_AndWithIt_Seeks()
    {
        var topic = HttpApi.UniqueName("orders.seek");
        await fixture.Http.CreateAsync(topic, "s");
        await fixture.Http.SendAsync(HttpMethod.Post, $"/v1/topics/{topic}/messages", PublisherKey, body: Batch("a", "b")).ExpectAsync(HttpStatusCode.OK);
        await using var publisher = Hub(fixture.Host.Address, configure: WithApiKey(PublisherKey));
        await using var consumer = Hub(fixture.Host.Address, configure: WithApiKey(ConsumerKey));
        await publisher.StartAsync();
        await consumer.StartAsync();

        var denied = await Assert.ThrowsAsync<HubException>(() => publisher.InvokeAsync<SubscriptionDescription>("Seek", topic, "s", new { sequence = 1L }));
        var sought = await consumer.InvokeAsync<SubscriptionDescription>("Seek", topic, "s", new { sequence = 1L });

        Assert.StartsWith("4002 Forbidden: ", denied.Message, StringComparison.Ordinal);
        Assert.Contains($"'subscribe:{topic}'", denied.Message, StringComparison.Ordinal);
        Assert.Equal(2, sought.Stats.Backlog);
    }
}
