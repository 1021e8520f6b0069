namespace ActorMessaging.Grains.Subscriptions;

/// <summary>The dead-letter store, apart from <see cref="SubscriptionState"/> so acks never rewrite it.</summary>
[GenerateSerializer, Alias("am.dead-letter-state")]
public sealed class DeadLetterState
{
    /// <summary>In sequence order.</summary>
    [Id(0)] public List<DeadLetter> Items { get; set; } = [];
}
