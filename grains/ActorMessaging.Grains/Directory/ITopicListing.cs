namespace ActorMessaging.Grains.Directory;

/// <summary>
/// The store's listing of topic records (<see cref="TopicRecords"/>), which the host wires to its storage. A topic
/// exists while its record does, so this is the list of topics.
/// </summary>
public interface ITopicListing
{
    /// <summary>Names that start with <paramref name="prefix"/> and sort after <paramref name="after"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, string? after, int maxItems, CancellationToken cancellationToken = default);
}
