using ActorMessaging.Gateway.Hubs;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Gateway.Tests;

[Collection(HubCollection.Name)]
public sealed class HubJanitorTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Janitor_DeletesLiveSubscriptionsNoGatewayRenews_AfterTwoIdleLooks_AndNothingElse()
    {
        var topic = await Host.CreateTopicAsync();
        var durable = await Host.CreateSubscriptionAsync(topic, "durable");
        var orphan = await CreateLiveAsync(topic);
        var otherGateways = await CreateLiveAsync(topic);
        var looksLive = HubSubscriptions.NewLiveName();
        await Host.Subscription(topic, looksLive).CreateAsync(new SubscriptionSettings());
        var observer = Host.Grains.CreateObjectReference<IDeliveryObserver>(new HubSilentObserver());
        await Host.Subscription(topic, otherGateways).AttachAsync(new ConsumerRegistration("elsewhere", observer, 10));
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        var own = await client.SubscribeAsync(topic, null);
        var janitor = Host.Services.GetRequiredService<LiveSubscriptionJanitor>();
        var now = DateTimeOffset.UtcNow;

        await janitor.SweepAsync(topic, now);
        Assert.Contains(orphan, await Host.SubscriptionsOfAsync(topic));
        await janitor.SweepAsync(topic, now + LiveSubscriptionJanitor.ConfirmAfter);

        var left = await Host.SubscriptionsOfAsync(topic);
        Assert.DoesNotContain(orphan, left);
        Assert.Contains(durable, left);
        Assert.Contains(otherGateways, left);
        Assert.Contains(own, left);
        Assert.Contains(looksLive, left);
    }

    private async Task<string> CreateLiveAsync(string topic)
    {
        var name = HubSubscriptions.NewLiveName();
        await Host.Subscription(topic, name).CreateAsync(HubSubscriptions.LiveSettings);
        return name;
    }
}
