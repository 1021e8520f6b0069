namespace ActorMessaging.Grains.Topics;

/// <summary>Finding a sequence by publish time, for subscriptions that seek or start at a time.</summary>
internal sealed partial class TopicGrain
{
    public async Task<long> FindSequenceAsync(DateTimeOffset time)
    {
        EnsureExists();
        var now = clock.UtcNow;
        var oldest = now - state.State.Settings.Retention;
        if (time > now || time < oldest)
        {
            throw new BrokerException(ErrorCode.InvalidArgument,
                $"Time {time:O} is outside the retention of topic '{_name}': it must be between {oldest:O} and now ({now:O}).");
        }

        // Chunks are in publish order, so a binary search over chunk numbers finds the first message at or after the time.
        var found = _durableNextSequence;
        long low = state.State.FirstChunk, high = _headChunk;
        while (low <= high)
        {
            var mid = low + ((high - low) / 2);
            if (await ReadChunkAsync(mid) is not { } messages)
            {
                // Retention deletes from the front: everything before a missing chunk is gone too.
                low = mid + 1;
            }
            else if (messages[^1].PublishedAt < time)
            {
                low = mid + 1;
            }
            else
            {
                found = messages.First(m => m.PublishedAt >= time).Sequence;
                high = mid - 1;
            }
        }

        return found;
    }
}
