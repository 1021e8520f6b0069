using ActorMessaging.Grains.Directory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace ActorMessaging.Grains.Topics;

/// <summary>
/// A topic: settings, the sequence counter, the group-committed log and its subscriptions. Publishes and
/// reads interleave (see <see cref="ITopicGrain"/>), so publishes that arrive while a chunk is being
/// written join the next chunk; administrative calls run one at a time.
/// </summary>
[GrainType(TopicRecords.GrainTypeName)]
internal sealed partial class TopicGrain(
    [PersistentState(TopicRecords.StateName, StorageNames.State)] IPersistentState<TopicState> state,
    BrokerClock clock,
    ILogger<TopicGrain> logger) : Grain, ITopicGrain
{
    internal const int MaxSubscriptions = 1000;
    private const long MaxChunkBytes = 1024 * 1024;
    private const int MaxWritesInFlight = 2;
    private const long CacheBytes = 32 * 1024 * 1024;
    private const int MaxReadMessages = 1000;
    private const long MaxReadBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan WatchLifetime = TimeSpan.FromSeconds(60);

    private readonly ChunkIndex _index = new();
    private readonly ChunkCache _cache = new(CacheBytes);
    private readonly DedupIndex _dedup = new();
    private readonly Queue<PendingChunk> _pending = new();
    private readonly Queue<ChunkWrite> _writes = new();
    private readonly Dictionary<string, DateTimeOffset> _watchers = new(StringComparer.Ordinal);
    private readonly LiveWatchers _liveWatchers = new();
    private CoalescingWriter _stateWriter = null!;
    private LogChunkStore _chunks = null!;
    private string _name = string.Empty;
    private long _headChunk;
    private long _durableNextSequence;
    private long _nextSequence;
    private Task? _dedupLoad;
    private long _nextChunk;
    private bool _confirming;
    private bool _broken;
    private bool _deleting;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _name = this.GetPrimaryKeyString();
        _chunks = new LogChunkStore(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Log), _name);
        _stateWriter = new CoalescingWriter(WriteStateAsync, StateWriteFailed);
        if (state.RecordExists && !state.State.Exists)
        {
            // Written by an earlier version, which kept a deleted topic's record; now its presence means the topic exists.
            await state.ClearStateAsync(cancellationToken);
            state.State = new TopicState();
        }

        ResetLogPosition();
        if (state.State.Exists)
        {
            await RecoverHeadAsync();
        }

        StartTimer();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.Exists && !_broken && _headChunk > state.State.CheckpointChunk)
        {
            try
            {
                await _stateWriter.SaveAsync();
            }
            catch (Exception exception)
            {
                // Safe to lose: the next activation probes forward from the older checkpoint.
                LogCheckpointFailed(exception, _name);
            }
        }
    }

    public async Task<CreateTopicResult> CreateAsync(TopicSettings settings)
    {
        ValidateName();
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(_name);
        ThrowIfDeleting();
        if (state.State.Exists)
        {
            if (state.State.Settings != settings)
            {
                throw new BrokerException(ErrorCode.ConflictingSettings, $"Topic '{_name}' already exists with other settings.");
            }

            return new CreateTopicResult(Info(), Created: false);
        }

        // Writing the record is the create, and what lists the topic: one row, however many topics there are.
        state.State.Exists = true;
        state.State.Settings = settings;
        state.State.CreatedAt = clock.UtcNow;
        state.State.Generation = TopicState.NewGeneration();
        await SaveOrDeactivateAsync();
        LogTopicCreated(_name);
        return new CreateTopicResult(Info(), Created: true);
    }

    public Task<TopicInfo> GetAsync()
    {
        EnsureExists();
        return Task.FromResult(Info());
    }

    public async Task<TopicInfo> UpdateAsync(TopicSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EnsureExists();
        settings.Validate(_name);
        if (settings.DedupWindow != state.State.Settings.DedupWindow)
        {
            _dedup.Clear();
            _dedupLoad = null;
        }

        state.State.Settings = settings;
        await SaveOrDeactivateAsync();
        return Info();
    }

    public async Task DeleteAsync()
    {
        EnsureExists();
        _deleting = true;
        try
        {
            await Task.WhenAll(state.State.Subscriptions.Select(subscription =>
                GrainFactory.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(_name, subscription)).OnTopicDeletedAsync()));
            await DrainCommitsAsync();
            _liveWatchers.TopicDeleted(_name);

            // Clearing the record is the delete (WriteStateAsync clears a state that does not exist), and unlists it.
            var generation = state.State.Generation;
            var (firstChunk, lastChunk) = (state.State.FirstChunk, _headChunk);
            state.State = new TopicState();
            ResetLogPosition();
            await _stateWriter.SaveDurablyAsync($"Topic '{_name}'");
            LogTopicDeleted(_name, lastChunk - firstChunk + 1);

            // The new generation never reads these, so a chunk left behind by a failure is garbage, not data.
            await DeleteChunksAsync(generation, firstChunk, lastChunk);
        }
        finally
        {
            _deleting = false;
            DeactivateOnIdle();
        }
    }

    public Task<TopicPosition> GetPositionAsync()
    {
        EnsureExists();
        return PositionAsync();
    }

    public Task<IReadOnlyList<string>> ListSubscriptionsAsync()
    {
        EnsureExists();
        return Task.FromResult<IReadOnlyList<string>>([.. state.State.Subscriptions.Order(StringComparer.Ordinal)]);
    }

    public async Task<TopicPosition> AddSubscriptionAsync(string subscription)
    {
        EnsureExists();
        if (!state.State.Subscriptions.Contains(subscription, StringComparer.Ordinal))
        {
            if (state.State.Subscriptions.Count >= MaxSubscriptions)
            {
                throw new BrokerException(ErrorCode.EntityLimitReached, $"Topic '{_name}' already has {MaxSubscriptions} subscriptions, the most allowed.");
            }

            state.State.Subscriptions.Add(subscription);
            await SaveOrDeactivateAsync();
        }

        return await PositionAsync();
    }

    public async Task RemoveSubscriptionAsync(string subscription)
    {
        _watchers.Remove(subscription);
        if (state.State.Exists && state.State.Subscriptions.Remove(subscription))
        {
            await SaveOrDeactivateAsync();
        }
    }

    public Task<TopicPosition> WatchAsync(string subscription)
    {
        EnsureExists();
        _watchers[subscription] = clock.UtcNow + WatchLifetime;
        return PositionAsync();
    }

    public Task<TopicPosition> WatchLiveAsync(ILiveTopicObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        EnsureExists();
        _liveWatchers.Renew(observer, clock.UtcNow);
        return PositionAsync();
    }

    public Task UnwatchLiveAsync(ILiveTopicObserver observer)
    {
        _liveWatchers.Remove(observer);
        return Task.CompletedTask;
    }

    private TopicInfo Info() =>
        new(_name, state.State.Settings, state.State.CreatedAt, _durableNextSequence - 1, state.State.Subscriptions.Count);

    private async Task<TopicPosition> PositionAsync()
    {
        ProbeSoon();
        var first = _durableNextSequence;
        for (var number = state.State.FirstChunk; number <= _headChunk; number++)
        {
            // Normally the first read hits; chunks before it may be missing only after a crash mid-retention.
            if (await ReadChunkAsync(number) is { } oldest)
            {
                first = oldest[0].Sequence;
                break;
            }
        }

        return new TopicPosition(first, _durableNextSequence);
    }

    private void ResetLogPosition()
    {
        _headChunk = state.State.CheckpointChunk;
        _durableNextSequence = state.State.CheckpointNextSequence;
        _nextSequence = _durableNextSequence;
        _nextChunk = _headChunk + 1;
        _index.Clear();
        _cache.Clear();
        _dedup.Clear();
        _dedupLoad = null;
    }

    // The checkpoint may lag the log: chunks written after it are found by reading forward until one is missing.
    // Nothing past the first missing chunk is deleted, even though a crash with two writes in flight can leave one
    // there: another activation of this topic (on a frozen or partitioned silo) may still be writing the missing
    // chunk, and would then confirm both. Such a chunk makes this activation's own write of its number fail, and
    // the next activation reads it as a continuation or proves it orphaned. See docs/architecture.md, "Cluster safety".
    private async Task RecoverHeadAsync()
    {
        var recovered = 0;
        while (await _chunks.ReadAsync(state.State.Generation, _headChunk + 1) is { } messages)
        {
            if (messages[0].Sequence != _durableNextSequence)
            {
                // Not a continuation of the chunk before it, so its writer's own write of that chunk failed and it
                // can never be confirmed (confirmation is in chunk order): an orphan, safe to remove.
                await _chunks.DeleteAsync(state.State.Generation, _headChunk + 1);
                LogOrphanRemoved(_name, _headChunk + 1);
                break;
            }

            _headChunk++;
            _durableNextSequence = messages[^1].Sequence + 1;
            Remember(_headChunk, messages);
            recovered++;
        }

        _nextSequence = _durableNextSequence;
        _nextChunk = _headChunk + 1;
        if (recovered > 0)
        {
            LogHeadRecovered(_name, recovered, _durableNextSequence - 1);
        }
    }

    private Task WriteStateAsync()
    {
        if (!state.State.Exists)
        {
            return state.RecordExists ? state.ClearStateAsync() : Task.CompletedTask;
        }

        state.State.CheckpointChunk = _headChunk;
        state.State.CheckpointNextSequence = _durableNextSequence;
        return state.WriteStateAsync();
    }

    private Task SaveOrDeactivateAsync() => _stateWriter.SaveDurablyAsync($"Topic '{_name}'");

    /// <summary>A state write failed: memory may claim what storage lacks, and the ETag may be stale.</summary>
    private void StateWriteFailed(Exception exception)
    {
        LogStateWriteFailed(exception, _name);
        Break();
    }

    /// <summary>
    /// This activation may no longer be trusted: it takes no more publishes (in-flight chunk writes still confirm,
    /// since each is exclusive in storage) and goes once idle, so the next activation reads what storage holds.
    /// </summary>
    private void Break()
    {
        _broken = true;
        DeactivateOnIdle();
    }

    private async Task DeleteChunksAsync(long generation, long firstChunk, long lastChunk)
    {
        try
        {
            var numbers = Enumerable.Range(0, (int)Math.Max(0, lastChunk - firstChunk + 1)).Select(i => firstChunk + i);
            await Parallel.ForEachAsync(numbers, new ParallelOptions { MaxDegreeOfParallelism = 8, TaskScheduler = TaskScheduler.Current },
                async (chunk, _) => await _chunks.DeleteAsync(generation, chunk));
        }
        catch (Exception exception)
        {
            LogChunkCleanupFailed(exception, _name, generation);
        }
    }

    private void ValidateName()
    {
        if (!EntityNames.IsValid(_name))
        {
            throw new BrokerException(ErrorCode.InvalidName, $"'{_name}' is not a valid topic name: it must match {EntityNames.Pattern}.");
        }
    }

    private void EnsureExists()
    {
        if (!state.State.Exists || _deleting)
        {
            throw BrokerException.TopicNotFound(_name);
        }
    }

    private void ThrowIfDeleting()
    {
        if (_deleting)
        {
            throw new BrokerException(ErrorCode.Unavailable, $"Topic '{_name}' is being deleted; retry.");
        }
    }

    // Debug, not Information: with a topic per user or device, creates and deletes are routine traffic, and a console
    // line each cost about 7% of a silo's CPU while it created topics (bench scale).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Topic {Topic} created")]
    private partial void LogTopicCreated(string topic);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Topic {Topic} deleted with {Chunks} log chunks")]
    private partial void LogTopicDeleted(string topic, long chunks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} recovered {Chunks} chunks past its checkpoint; last sequence {LastSequence}")]
    private partial void LogHeadRecovered(string topic, int chunks, long lastSequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} removed orphaned chunk {Chunk}: it does not continue the chunk before it")]
    private partial void LogOrphanRemoved(string topic, long chunk);

    [LoggerMessage(Level = LogLevel.Error, Message = "Topic {Topic} failed to write its state; reloading")]
    private partial void LogStateWriteFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} could not write its checkpoint")]
    private partial void LogCheckpointFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic} left chunks of generation {Generation} behind")]
    private partial void LogChunkCleanupFailed(Exception exception, string topic, long generation);
}
