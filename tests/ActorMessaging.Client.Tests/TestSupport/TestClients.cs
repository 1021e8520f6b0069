using ActorMessaging.Contracts;

namespace ActorMessaging.Client.Tests;

/// <summary>Clients with quick retries for tests, and set-up of topics and subscriptions.</summary>
internal static class TestClients
{
    public static ActorMessagingClientOptions FastRetries() => new()
    {
        Retry = new ActorMessagingRetryOptions { MaxRetries = 5, Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) },
    };

    public static ActorMessagingClient Client(Uri endpoint, ActorMessagingClientOptions? options = null) => new(endpoint, options ?? FastRetries());

    public static ActorMessagingAdministrationClient Admin(Uri endpoint) => new(endpoint, FastRetries());

    /// <summary>Creates the topic and a subscription that starts at its beginning.</summary>
    public static async Task CreateAsync(Uri endpoint, string topic, string subscription, SubscriptionConfiguration? settings = null)
    {
        using var admin = Admin(endpoint);
        await admin.CreateOrUpdateTopicAsync(topic);
        await admin.CreateOrUpdateSubscriptionAsync(topic, subscription, (settings ?? new SubscriptionConfiguration()) with { StartAt = "earliest" });
    }
}
