using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Topics;

/// <summary>
/// Retention: whole chunks go from the front of the log once their newest message is older than the topic's
/// retention, or, with <see cref="TopicSettings.RetainAckedMessages"/> false, once every subscription's durable
/// ack floor is past their last message.
/// </summary>
/// <remarks>
/// The topic asks its subscriptions for their floors (<see cref="ISubscriptionGrain.GetDurableAckFloorAsync"/>)
/// instead of having them report: only when the front chunk is otherwise deletable, only the subscriptions that
/// hold it back, and less and less often while one stands still (<see cref="SubscriptionFloors"/>). Reporting on
/// every ack would put a call per subscription write on the topic, the busiest grain, for every topic; asking
/// costs nothing on topics that keep acked messages and never wakes a subscription that is not in the way.
/// </remarks>
internal sealed partial class TopicGrain
{
    private const int MaxChunksDeletedPerPass = 256;
    private const int MaxFloorQueriesInFlight = 32;

    /// <summary>With acked messages deleted, a pass also runs after this many new chunks, so storage is bounded without waiting for the clock.</summary>
    private const long AckedRetentionChunkStep = 32;

    private static readonly TimeSpan RetentionCheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest the timer waits for a retention pass while chunks are stored: a settings update (a shorter retention,
    /// acked messages no longer kept) reschedules nothing, and takes effect at the next commit or within this.
    /// </summary>
    private static readonly TimeSpan MaxRetentionWait = TimeSpan.FromMinutes(5);

    private readonly SubscriptionFloors _floors = new();
    private DateTimeOffset _lastRetentionCheck = DateTimeOffset.MinValue;
    private DateTimeOffset? _frontExpiresAt;
    private long _headAtLastRetention;
    private long _savedCheckpoint = -1;
    private bool _enforcingRetention;

    /// <summary>Runs after commits and on the topic's timer, at most every 30 seconds or every 32 chunks.</summary>
    private async Task EnforceRetentionAsync()
    {
        var now = clock.UtcNow;
        if (_enforcingRetention || _deleting || _broken || !state.State.Exists || !RetentionDue(now))
        {
            return;
        }

        _enforcingRetention = true;
        _lastRetentionCheck = now;
        _headAtLastRetention = _headChunk;
        try
        {
            var deleted = 0;
            var floorsLearned = false;
            while (!_deleting && state.State.FirstChunk <= _headChunk && deleted < MaxChunksDeletedPerPass)
            {
                var number = state.State.FirstChunk;
                var messages = await ReadChunkAsync(number);
                if (messages is not null && !IsPastRetention(messages, now))
                {
                    _frontExpiresAt = messages[^1].PublishedAt + state.State.Settings.Retention;
                    if (!MayDeleteAcked(messages, now))
                    {
                        break;
                    }

                    // Subscriptions are asked once a pass, and only when what is known already holds the chunk back.
                    var last = messages[^1].Sequence;
                    if (!floorsLearned && last >= _floors.Min(state.State.Subscriptions))
                    {
                        floorsLearned = true;
                        await LearnFloorsAsync(now);
                    }

                    // Read again after the wait: a subscription added meanwhile is unknown and holds the chunk.
                    if (last >= _floors.Min(state.State.Subscriptions))
                    {
                        break;
                    }
                }

                // Head recovery reads forward from the checkpoint, so a chunk after it must never be missing:
                // the checkpoint moves past a chunk before the chunk goes.
                if (number > _savedCheckpoint)
                {
                    var head = _headChunk;
                    await _stateWriter.SaveAsync();
                    _savedCheckpoint = head;
                }

                // Rows go first, the new front after: a crash in between leaves a front that points at
                // missing chunks, which reads already treat as "removed by retention".
                if (messages is not null)
                {
                    await _chunks.DeleteAsync(state.State.Generation, number);
                }

                _cache.Remove(number);
                state.State.FirstChunk = number + 1;
                deleted++;
            }

            if (deleted > 0 && !_deleting)
            {
                _index.RemoveBelow(state.State.FirstChunk);
                await _stateWriter.SaveAsync();
                LogRetentionDeleted(_name, deleted, state.State.FirstChunk);
            }
        }
        catch (Exception exception)
        {
            LogRetentionFailed(exception, _name);
        }
        finally
        {
            _enforcingRetention = false;
        }
    }

    /// <summary>
    /// When the timer should run the next pass; null when the log stores nothing. With acked messages kept, that is when
    /// the oldest stored message passes the retention (learned by the last pass), so a topic holding week-old messages
    /// sleeps; with acked messages deleted, every 30 s while chunks are stored, as acks do not reach the topic.
    /// </summary>
    private DateTimeOffset? NextRetentionPass(DateTimeOffset now)
    {
        if (state.State.FirstChunk > _headChunk)
        {
            return null;
        }

        var paced = _lastRetentionCheck + RetentionCheckInterval;
        var due = state.State.Settings.RetainAckedMessages && _frontExpiresAt is { } expires && expires > paced ? expires : paced;
        return due < now + MaxRetentionWait ? due : now + MaxRetentionWait;
    }

    private bool RetentionDue(DateTimeOffset now) =>
        now - _lastRetentionCheck >= RetentionCheckInterval
        || (!state.State.Settings.RetainAckedMessages && _headChunk - _headAtLastRetention >= AckedRetentionChunkStep);

    private bool IsPastRetention(List<StoredMessage> chunk, DateTimeOffset now) =>
        chunk[^1].PublishedAt < now - state.State.Settings.Retention;

    /// <summary>Whether acked deletion applies to the chunk at all, before any subscription is asked.</summary>
    private bool MayDeleteAcked(List<StoredMessage> chunk, DateTimeOffset now)
    {
        var settings = state.State.Settings;
        if (settings.RetainAckedMessages)
        {
            return false;
        }

        // Duplicate detection rebuilds its ids from the log after a reload, so ids inside the window stay stored.
        return settings.DedupWindow <= TimeSpan.Zero
            || chunk[^1].PublishedAt < now - settings.DedupWindow
            || !chunk.Exists(m => m.MessageId is not null);
    }

    /// <summary>Asks every subscription that may be behind the head and is due, so one pass can delete as far as they all got.</summary>
    private async Task LearnFloorsAsync(DateTimeOffset now)
    {
        var durableLast = _durableNextSequence - 1;
        _floors.Keep(state.State.Subscriptions);
        var ask = _floors.ToAsk(state.State.Subscriptions, durableLast, now);
        if (ask.Count == 0)
        {
            return;
        }

        var answers = new long?[ask.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, ask.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxFloorQueriesInFlight, TaskScheduler = TaskScheduler.Current },
            async (i, _) =>
            {
                try
                {
                    answers[i] = await GrainFactory.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(_name, ask[i])).GetDurableAckFloorAsync(durableLast);
                }
                catch (Exception exception)
                {
                    // Not knowing a floor only delays deletion; the question is asked again later.
                    LogFloorUnknown(exception, _name, ask[i]);
                }
            });

        for (var i = 0; i < ask.Count; i++)
        {
            if (answers[i] is { } floor)
            {
                _floors.Learned(ask[i], floor, now);
            }
            else
            {
                _floors.Failed(ask[i], now);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} deleted {Chunks} chunks past retention or acked by every subscription; the log now starts at chunk {FirstChunk}")]
    private partial void LogRetentionDeleted(string topic, int chunks, long firstChunk);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} could not delete chunks past retention; will retry")]
    private partial void LogRetentionFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} could not learn the ack floor of subscription {Subscription}; its chunks stay for now")]
    private partial void LogFloorUnknown(Exception exception, string topic, string subscription);
}
