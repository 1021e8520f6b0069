namespace ActorMessaging.Gateway.Tests;

/// <summary>Set-up and inspection through the grains directly: the hub tests do not depend on the HTTP API.</summary>
internal static class HubGrains
{
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 200)];

    public static async Task<string> CreateTopicAsync(this GatewayHost host, string prefix = "topic")
    {
        var topic = NewName(prefix);
        await host.Grains.GetGrain<ITopicGrain>(topic).CreateAsync(new TopicSettings());
        return topic;
    }

    public static async Task<string> CreateSubscriptionAsync(this GatewayHost host, string topic, string prefix = "sub", SubscriptionSettings? settings = null)
    {
        var subscription = NewName(prefix);
        await host.Subscription(topic, subscription).CreateAsync(settings ?? new SubscriptionSettings());
        return subscription;
    }

    public static ISubscriptionGrain Subscription(this GatewayHost host, string topic, string subscription) =>
        host.Grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription));

    public static Task<SubscriptionStats> StatsAsync(this GatewayHost host, string topic, string subscription) =>
        host.Subscription(topic, subscription).GetStatsAsync();

    public static Task<IReadOnlyList<string>> SubscriptionsOfAsync(this GatewayHost host, string topic) =>
        host.Grains.GetGrain<ITopicGrain>(topic).ListSubscriptionsAsync();
}
