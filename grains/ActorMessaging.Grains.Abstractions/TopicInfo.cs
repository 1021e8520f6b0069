namespace ActorMessaging;

/// <summary>A topic as its grain reports it.</summary>
[GenerateSerializer, Immutable, Alias("am.topic-info")]
public sealed record TopicInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] TopicSettings Settings,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] long LastSequence,
    [property: Id(4)] int SubscriptionCount);
