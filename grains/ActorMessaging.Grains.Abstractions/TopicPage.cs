namespace ActorMessaging;

/// <summary>A page of topic names in ordinal order; <see cref="NextPageToken"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("am.topic-page")]
public sealed record TopicPage(
    [property: Id(0)] IReadOnlyList<string> Names,
    [property: Id(1)] string? NextPageToken);
