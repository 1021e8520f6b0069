namespace ActorMessaging.Grains.Topics;

internal sealed partial class TopicGrain
{
    public async Task<LogReadResult> ReadAsync(long fromSequence, int maxMessages)
    {
        EnsureExists();
        if (maxMessages < 1 || maxMessages > MaxReadMessages)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"maxMessages must be between 1 and {MaxReadMessages}, was {maxMessages}.");
        }

        var last = _durableNextSequence - 1;
        fromSequence = Math.Max(fromSequence, 1);
        if (fromSequence > last)
        {
            return new LogReadResult([], fromSequence, last);
        }

        var located = await LocateAsync(fromSequence);
        if (located is not { } chunk)
        {
            return new LogReadResult([], _durableNextSequence, last);
        }

        var result = new List<StoredMessage>(Math.Min(maxMessages, 256));
        long bytes = 0;
        var next = fromSequence;
        for (var number = chunk.Number; number <= _headChunk && result.Count < maxMessages && bytes < MaxReadBytes; number++)
        {
            var messages = number == chunk.Number ? chunk.Messages : await ReadChunkAsync(number);
            if (messages is null)
            {
                break;
            }

            foreach (var message in messages)
            {
                if (message.Sequence < fromSequence)
                {
                    continue;
                }

                if (result.Count >= maxMessages || bytes >= MaxReadBytes)
                {
                    break;
                }

                result.Add(message);
                bytes += message.Size;
                next = message.Sequence + 1;
            }
        }

        return new LogReadResult(result, next, last);
    }

    /// <summary>The chunk holding <paramref name="sequence"/>, or the oldest retained chunk after it.</summary>
    private async Task<(long Number, List<StoredMessage> Messages)?> LocateAsync(long sequence)
    {
        long low = state.State.FirstChunk, high = _headChunk;
        while (true)
        {
            if (_index.Find(sequence, ref low, ref high) is { } known)
            {
                var messages = await ReadChunkAsync(known.ChunkNumber);
                return messages is null ? null : (known.ChunkNumber, messages);
            }

            if (low > high)
            {
                // The sequence lies before every retained chunk: start at the first one that exists.
                for (var number = low; number <= _headChunk; number++)
                {
                    if (await ReadChunkAsync(number) is { } first)
                    {
                        return (number, first);
                    }
                }

                return null;
            }

            var mid = low + ((high - low) / 2);
            if (await ReadChunkAsync(mid) is null)
            {
                // Retention deletes from the front, so every chunk before a missing one is gone too.
                low = mid + 1;
            }
        }
    }

    private async Task<List<StoredMessage>?> ReadChunkAsync(long number)
    {
        if (_cache.TryGet(number, out var cached))
        {
            return cached;
        }

        var messages = await _chunks.ReadAsync(state.State.Generation, number);
        if (messages is not null)
        {
            Remember(number, messages);
        }

        return messages;
    }

    private void Remember(long number, List<StoredMessage> messages)
    {
        _index.Add(new ChunkSummary(number, messages[0].Sequence, messages[^1].Sequence, messages[^1].PublishedAt));
        _cache.Add(number, messages);
    }
}
