namespace ActorMessaging.Grains.Directory;

/// <summary>One shard of topic names, kept sorted so prefix listing is a range walk.</summary>
internal sealed class TopicDirectoryGrain(
    [PersistentState("directory", StorageNames.State)] IPersistentState<TopicDirectoryState> state) : Grain, ITopicDirectoryGrain
{
    private List<string> Topics => state.State.Topics;

    public async Task AddAsync(string topic)
    {
        var index = Topics.BinarySearch(topic, StringComparer.Ordinal);
        if (index < 0)
        {
            Topics.Insert(~index, topic);
            await SaveAsync();
        }
    }

    public async Task RemoveAsync(string topic)
    {
        var index = Topics.BinarySearch(topic, StringComparer.Ordinal);
        if (index >= 0)
        {
            Topics.RemoveAt(index);
            await SaveAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, string? after, int maxItems)
    {
        var start = after is not null && string.CompareOrdinal(after, prefix) > 0 ? after : prefix;
        var index = Topics.BinarySearch(start, StringComparer.Ordinal);
        index = index < 0 ? ~index : index;
        var names = new List<string>(Math.Min(maxItems, 256));
        for (; index < Topics.Count && names.Count < maxItems; index++)
        {
            var name = Topics[index];
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
            {
                break;
            }

            if (after is null || string.CompareOrdinal(name, after) > 0)
            {
                names.Add(name);
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(names);
    }

    // A failed write leaves memory ahead of storage and the ETag possibly stale: only a fresh activation may go on.
    private async Task SaveAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            DeactivateOnIdle();
            throw new BrokerException(ErrorCode.StorageUnavailable, "The topic directory could not be saved; retry.", exception);
        }
    }
}
