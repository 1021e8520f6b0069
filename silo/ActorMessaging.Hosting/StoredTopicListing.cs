using ActorMessaging.Grains.Directory;
using ActorMessaging.Storage;

namespace ActorMessaging.Hosting;

/// <summary>Lists topics as the keys of their records in the state store.</summary>
internal sealed class StoredTopicListing(IGrainStateListing states) : ITopicListing
{
    public Task<IReadOnlyList<string>> ListAsync(string prefix, string? after, int maxItems, CancellationToken cancellationToken = default) =>
        states.ListKeysAsync(TopicRecords.GrainType, TopicRecords.StateName, prefix, after, maxItems, cancellationToken);
}
