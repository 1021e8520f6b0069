namespace ActorMessaging.Contracts;

/// <summary>A topic as <c>GET /v1/topics/{topic}</c> and <c>PUT /v1/topics/{topic}</c> return it.</summary>
public sealed record TopicDescription
{
    /// <summary>The topic's name.</summary>
    public required string Name { get; init; }

    /// <summary>The topic's settings, every field filled.</summary>
    public required TopicConfiguration Settings { get; init; }

    /// <summary>When the topic was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The sequence of the last durable message; 0 when nothing was published yet.</summary>
    public required long LastSequence { get; init; }

    /// <summary>How many subscriptions the topic has.</summary>
    public required int SubscriptionCount { get; init; }
}
