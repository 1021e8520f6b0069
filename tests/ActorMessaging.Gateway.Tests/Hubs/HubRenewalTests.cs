using ActorMessaging.Gateway.Hubs;
using ActorMessaging.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Its own host: broker time is faked here, so registrations can outlive their 60 s lifetime in a moment.</summary>
public sealed class HubRenewalTests
{
    [Fact]
    public async Task Renewal_KeepsHubConsumersAttached_PastTheRegistrationLifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await GatewayHost.StartAsync(services: s => s.AddSingleton(new BrokerClock(time)));
        var topic = await host.CreateTopicAsync();
        var subscription = await host.CreateSubscriptionAsync(topic);
        var control = await host.CreateSubscriptionAsync(topic, "control");
        await using var client = await HubTestClient.ConnectAsync(host.Address);
        await client.SubscribeAsync(topic, subscription);

        // A consumer nobody renews, to show when the lifetime has run out.
        var silent = host.Grains.CreateObjectReference<IDeliveryObserver>(new HubSilentObserver());
        await host.Subscription(topic, control).AttachAsync(new ConsumerRegistration("silent", silent, 10));

        time.Advance(TimeSpan.FromSeconds(45));
        await host.Services.GetRequiredService<HubSubscriptions>().RenewAllAsync(onlyFailed: false, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(30));

        await Eventually.TrueAsync(async () => (await host.StatsAsync(topic, control)).ConsumersAttached == 0, "the unrenewed consumer to expire");
        Assert.Equal(1, (await host.StatsAsync(topic, subscription)).ConsumersAttached);
        await client.PublishNumbersAsync(topic, 1);
        await client.WaitForAsync(1);
    }
}
