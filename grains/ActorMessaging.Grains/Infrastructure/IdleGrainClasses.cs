using ActorMessaging.Grains.Subscriptions;
using ActorMessaging.Grains.Topics;

namespace ActorMessaging.Grains;

/// <summary>
/// The grain classes there is one of per topic or subscription: their number is the users' to choose, so an idle one
/// must cost nothing. The host deactivates them after its idle timeout (Orleans' class-specific collection age).
/// </summary>
public static class IdleGrainClasses
{
    /// <summary>Full class names, as Orleans keys its class-specific collection ages.</summary>
    public static IReadOnlyList<string> Names { get; } = [typeof(TopicGrain).FullName!, typeof(SubscriptionGrain).FullName!];
}
