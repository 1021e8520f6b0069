using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Topics;

internal sealed partial class TopicGrain
{
    private const int MaxDedupScanChunks = 4096;

    public async Task<PublishResult> PublishAsync(IReadOnlyList<OutgoingMessage> batch)
    {
        var started = Stopwatch.GetTimestamp();
        EnsureExists();
        PublishValidator.Validate(_name, state.State.Settings, batch, clock.UtcNow);
        batch = PublishTelemetry.Traced(batch, state.State.Settings);
        var window = state.State.Settings.DedupWindow;
        var dedup = window > TimeSpan.Zero && batch.Any(m => m.MessageId is not null);
        if (dedup)
        {
            await EnsureDedupLoadedAsync();
            EnsureExists();
        }

        ThrowIfBroken();
        var now = clock.UtcNow;
        if (dedup)
        {
            _dedup.Expire(now - window);
        }

        // Sequences are assigned here, in arrival order; a failed write deactivates the topic, so they are never burned.
        var outcomes = new PublishOutcome[batch.Count];
        var chunk = OpenChunk();
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch[i];
            if (dedup && message.MessageId is { } id && _dedup.TryGet(id, out var original))
            {
                outcomes[i] = new PublishOutcome(original, Duplicate: true);
                continue;
            }

            var stored = MessageSchedule.Stamp(message, _nextSequence++, now, state.State.Settings);
            chunk.Messages.Add(stored);
            chunk.Bytes += stored.Size;
            if (dedup && stored.MessageId is { } newId)
            {
                _dedup.Add(newId, stored.Sequence, now);
            }

            outcomes[i] = new PublishOutcome(stored.Sequence, Duplicate: false);
        }

        // Even an all-duplicate batch waits for this chunk: its originals may still be in an earlier, unwritten one.
        var durable = chunk.Durable.Task;
        StartWrites();
        await durable;
        PublishTelemetry.Published(_name, batch, outcomes, started);
        return new PublishResult(outcomes);
    }

    private PendingChunk OpenChunk()
    {
        if (_pending.Count == 0 || _pending.Last().Bytes >= MaxChunkBytes)
        {
            _pending.Enqueue(new PendingChunk());
        }

        return _pending.Last();
    }

    /// <summary>
    /// Group commit, pipelined: up to <see cref="MaxWritesInFlight"/> chunk writes run at once (the store
    /// can share one fsync between them), and whatever arrives meanwhile goes into the next chunk.
    /// </summary>
    private void StartWrites()
    {
        while (_writes.Count < MaxWritesInFlight && _pending.TryDequeue(out var chunk))
        {
            var write = chunk.Messages.Count == 0
                ? new ChunkWrite(chunk, Number: null, Task.CompletedTask)
                : new ChunkWrite(chunk, _nextChunk, _chunks.WriteAsync(state.State.Generation, _nextChunk++, chunk.Messages));
            _writes.Enqueue(write);
        }

        if (!_confirming && _writes.Count > 0)
        {
            _ = ConfirmWritesAsync();
        }
    }

    // Publishers are answered strictly in chunk order: a chunk is confirmed only after every chunk before it.
    private async Task ConfirmWritesAsync()
    {
        _confirming = true;
        try
        {
            while (_writes.TryPeek(out var oldest))
            {
                try
                {
                    await oldest.Write;
                }
                catch (Exception exception)
                {
                    var stillWriting = _writes.Select(w => w.Write).ToList();
                    FailPending(oldest.Chunk, exception);

                    // Let later writes finish before this activation goes, so none lands after the next one has read the log.
                    await Task.WhenAll(stillWriting).ContinueWith(static _ => { }, TaskScheduler.Current);
                    Break();
                    return;
                }

                _writes.Dequeue();
                if (oldest.Number is { } number)
                {
                    _headChunk = number;
                    _durableNextSequence = oldest.Chunk.Messages[^1].Sequence + 1;
                    Remember(number, oldest.Chunk.Messages);
                    NotifyWatchers(oldest.Chunk.Messages);
                }

                oldest.Chunk.Durable.SetResult();
                StartWrites();
            }
        }
        finally
        {
            _confirming = false;
        }

        await EnforceRetentionAsync();
        ScheduleTimer();
    }

    private void FailPending(PendingChunk failed, Exception exception)
    {
        // Whether the write landed is unknown (or another activation wrote this chunk first), and later writes may
        // land without it. Drop every unconfirmed sequence and reload: the next activation reads the log to find the
        // true head, and retries with the same message id are deduplicated.
        _broken = true;
        LogCommitFailed(exception, _name, failed.Messages.Count);
        var error = new BrokerException(ErrorCode.StorageUnavailable, $"Publish to topic '{_name}' was not stored; retry.", exception);
        foreach (var chunk in _writes.Select(w => w.Chunk).Concat(_pending))
        {
            chunk.Durable.TrySetException(error);
        }

        _writes.Clear();
        _pending.Clear();
    }

    private async Task DrainCommitsAsync()
    {
        var last = _pending.Count > 0 ? _pending.Last() : _writes.LastOrDefault().Chunk;
        if (last is not null)
        {
            try
            {
                await last.Durable.Task;
            }
            catch (BrokerException)
            {
                // The publishers were told; the topic is going away anyway.
            }
        }
    }

    private void NotifyWatchers(List<StoredMessage> messages)
    {
        if (_watchers.Count == 0 && _liveWatchers.Count == 0)
        {
            return;
        }

        var batch = new PublishedBatch(messages);
        var now = clock.UtcNow;
        _liveWatchers.Published(_name, batch, now);
        foreach (var (subscription, expires) in _watchers)
        {
            if (expires >= now)
            {
                // One-way: a slow or failing subscription never delays the publisher; it reads the log instead.
                _ = GrainFactory.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(_name, subscription)).OnPublishedAsync(batch);
            }
        }
    }

    // A load that failed is forgotten, so the next publish tries again instead of failing on the same task forever.
    private async Task EnsureDedupLoadedAsync()
    {
        var load = _dedupLoad ??= LoadDedupAsync();
        try
        {
            await load;
        }
        catch (Exception exception)
        {
            if (ReferenceEquals(_dedupLoad, load))
            {
                _dedupLoad = null;
            }

            throw new BrokerException(ErrorCode.StorageUnavailable, $"Topic '{_name}' could not read its recent message ids; retry.", exception);
        }
    }

    // Rebuilt from the log on first use: the ids live in the chunks, so no write is spent keeping them elsewhere.
    private async Task LoadDedupAsync()
    {
        var since = clock.UtcNow - state.State.Settings.DedupWindow;
        var chunks = new List<List<StoredMessage>>();
        for (var chunk = _headChunk; chunk >= state.State.FirstChunk && chunks.Count < MaxDedupScanChunks; chunk--)
        {
            var messages = await ReadChunkAsync(chunk);
            if (messages is null || messages[^1].PublishedAt < since)
            {
                break;
            }

            chunks.Add(messages);
        }

        for (var i = chunks.Count - 1; i >= 0; i--)
        {
            foreach (var message in chunks[i])
            {
                if (message.MessageId is { } id && message.PublishedAt >= since)
                {
                    _dedup.Add(id, message.Sequence, message.PublishedAt);
                }
            }
        }
    }

    private void ThrowIfBroken()
    {
        if (_broken)
        {
            throw new BrokerException(ErrorCode.Unavailable, $"Topic '{_name}' is reloading after a storage failure; retry.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Topic {Topic} failed to write a chunk of {Count} messages; reloading")]
    private partial void LogCommitFailed(Exception exception, string topic, int count);
}
