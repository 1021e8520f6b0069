namespace ActorMessaging;

/// <summary>The bounds of a topic's retained log: the first retained sequence and the next one to be assigned.</summary>
[GenerateSerializer, Immutable, Alias("am.topic-position")]
public readonly record struct TopicPosition(
    [property: Id(0)] long FirstSequence,
    [property: Id(1)] long NextSequence);
