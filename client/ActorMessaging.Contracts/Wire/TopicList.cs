namespace ActorMessaging.Contracts;

/// <summary>A page of topic names in ordinal order, as <c>GET /v1/topics</c> returns it.</summary>
public sealed record TopicList
{
    /// <summary>The names on this page.</summary>
    public required IReadOnlyList<string> Topics { get; init; }

    /// <summary>Pass as <c>pageToken</c> to get the next page; null on the last page.</summary>
    public string? NextPageToken { get; init; }
}
