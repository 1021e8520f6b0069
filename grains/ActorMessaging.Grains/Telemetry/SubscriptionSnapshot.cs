namespace ActorMessaging.Grains.Telemetry;

/// <summary>The latest statistics an active subscription reported for the gauges.</summary>
internal sealed record SubscriptionSnapshot(string Topic, string Subscription, SubscriptionStats Stats);
