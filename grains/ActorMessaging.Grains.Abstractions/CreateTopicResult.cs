namespace ActorMessaging;

/// <summary>The topic after a create call, and whether this call created it (false: it already existed with the same settings).</summary>
[GenerateSerializer, Immutable, Alias("am.create-topic-result")]
public sealed record CreateTopicResult([property: Id(0)] TopicInfo Topic, [property: Id(1)] bool Created);
