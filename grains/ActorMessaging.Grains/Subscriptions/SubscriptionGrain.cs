using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

/// <summary>
/// A subscription: cursor, leases, retries, dead letters and push consumers. Calls run one at a time,
/// except pulls, which wait for messages while acks and other calls go on (see <see cref="ISubscriptionGrain"/>).
/// </summary>
internal sealed partial class SubscriptionGrain(
    [PersistentState("subscription", StorageNames.State)] IPersistentState<SubscriptionState> state,
    [PersistentState("deadletters", StorageNames.State)] IPersistentState<DeadLetterState> deadLetters,
    BrokerClock clock,
    ILogger<SubscriptionGrain> logger) : Grain, ISubscriptionGrain
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);

    private CoalescingWriter _stateWriter = null!;
    private CoalescingWriter _deadLetterWriter = null!;
    private string _topic = string.Empty;
    private string _name = string.Empty;
    private ITopicGrain _topicGrain = null!;
    private DueTimer _ticker = null!;

    // Delivery state in memory, each type keeping its own rules; the durable part is SubscriptionState, which only
    // DeliveryLedger maps (LoadDeliveryState rebuilds all of it from storage).
    private readonly DeliveryLedger _ledger = new();
    private readonly ReadyQueue _ready = new();
    private readonly LeaseTable _leases = new();
    private readonly OrderingLanes _lanes = new();
    private readonly ReadAhead _readAhead = new();
    private readonly TopicWatch _watch = new();
    private readonly PushConsumers _consumers = new();
    private readonly PullWaiters _waiters = new();
    private readonly AdmissionFilter _filter = new();

    private SubscriptionSettings Settings => state.State.Settings;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_topic, _name) = SubscriptionKey.Parse(this.GetPrimaryKeyString());
        _topicGrain = GrainFactory.GetGrain<ITopicGrain>(_topic);
        _stateWriter = new CoalescingWriter(WriteStateAsync, Discard);
        _deadLetterWriter = new CoalescingWriter(() => deadLetters.WriteStateAsync(), Discard);
        _ticker = new DueTimer(this, TickAsync);
        _gaugeRefresh = new DueTimer(this, ReportGaugesAsync);
        LoadDeliveryState();
        _gaugeRefresh.Within(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _waiters.WakeAll();
        SubscriptionGauges.Forget(_topic, _name);
        if (state.State.Exists && !_stateWriter.IsIdle && !_discarded)
        {
            try
            {
                await _stateWriter.SaveAsync();
            }
            catch (Exception exception)
            {
                // At-least-once: losing the latest acks means those messages are delivered again.
                LogSaveFailed(exception, _topic, _name);
            }
        }
    }

    public async Task<CreateSubscriptionResult> CreateAsync(SubscriptionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ValidateNames();
        settings.Validate(_topic, _name);
        CompileFilter(settings);
        await ValidateDeadLetterTopicAsync(settings);
        if (state.State.Exists)
        {
            if (Settings != settings)
            {
                throw new BrokerException(ErrorCode.ConflictingSettings, $"Subscription '{_name}' of topic '{_topic}' already exists with other settings.");
            }

            return new CreateSubscriptionResult(await InfoAsync(), Created: false);
        }

        // A start sequence or time is checked before anything is registered, so a bad one changes nothing.
        long? startFrom = settings.StartFrom is { } from ? await ResolveAsync(from) : null;

        // Registered with the topic first: a subscription the topic does not know would never be deleted with it.
        var position = await _topicGrain.AddSubscriptionAsync(_name);
        var start = startFrom ?? (settings.StartAt == StartPosition.Earliest ? position.FirstSequence : position.NextSequence);
        state.State = new SubscriptionState { Exists = true, Settings = settings, CreatedAt = clock.UtcNow, AckFloor = start };
        LoadDeliveryState();
        _readAhead.Learn(position.NextSequence - 1);
        await SaveOrDeactivateAsync();
        LogSubscriptionCreated(_topic, _name, start);
        return new CreateSubscriptionResult(await InfoAsync(), Created: true);
    }

    public async Task<SubscriptionInfo> GetAsync() =>
        new(_topic, _name, Settings, state.State.CreatedAt, await GetStatsAsync());

    public async Task<SubscriptionInfo> UpdateAsync(SubscriptionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EnsureExists();
        settings.Validate(_topic, _name);
        var filter = CompileFilter(settings);
        await ValidateDeadLetterTopicAsync(settings);
        EnsureExists();
        state.State.Settings = settings with { StartAt = Settings.StartAt, StartFrom = Settings.StartFrom };
        _filter.Use(filter);
        await SaveOrDeactivateAsync();
        return await InfoAsync();
    }

    public async Task DeleteAsync()
    {
        EnsureExists();
        try
        {
            await _topicGrain.RemoveSubscriptionAsync(_name);
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.TopicNotFound)
        {
            // The topic went first; nothing to unregister from.
        }

        await ForgetAsync();
        LogSubscriptionDeleted(_topic, _name);
    }

    public async Task OnTopicDeletedAsync()
    {
        if (state.State.Exists)
        {
            await ForgetAsync();
        }
    }

    public Task<SubscriptionStats> GetStatsAsync() => CurrentStatsAsync(askTopic: true);

    /// <summary>The statistics now; <paramref name="askTopic"/> first learns where the topic's log ends (the watch tells a watching subscription).</summary>
    private async Task<SubscriptionStats> CurrentStatsAsync(bool askTopic)
    {
        EnsureExists();
        Tick();
        if (askTopic)
        {
            var position = await _topicGrain.GetPositionAsync();
            _readAhead.Learn(position.NextSequence - 1);
        }

        await SettleFilteredAsync();
        return await StatsAsync();
    }

    private async Task<SubscriptionInfo> InfoAsync() =>
        new(_topic, _name, Settings, state.State.CreatedAt, await StatsAsync());

    private async Task<SubscriptionStats> StatsAsync()
    {
        var now = clock.UtcNow;
        var unsettled = _ledger.UnsettledThrough(_readAhead.KnownLast);
        var backlog = Math.Max(0, unsettled) + _ledger.ResubmittedCount;
        DateTimeOffset? oldest = null;
        if (unsettled > 0)
        {
            oldest = _ledger.TryGet(_ledger.Floor, out var first)
                ? first.Message.PublishedAt
                : await OldestInLogAsync();
        }

        // A dead letter still being written is not durable yet: it counts as in retry until its save returns.
        var parking = 0;
        foreach (var pending in _ledger.Pending)
        {
            parking += pending.Parking ? 1 : 0;
            if (pending.Resubmitted && (oldest is null || pending.Message.PublishedAt < oldest))
            {
                oldest = pending.Message.PublishedAt;
            }
        }

        var age = oldest is { } at ? now - at : (TimeSpan?)null;
        return new SubscriptionStats(backlog, _leases.InFlight, deadLetters.State.Items.Count - parking, age < TimeSpan.Zero ? TimeSpan.Zero : age, _ledger.Floor, _consumers.Count);
    }

    private async Task<DateTimeOffset?> OldestInLogAsync()
    {
        var read = await _topicGrain.ReadAsync(_ledger.Floor, 1);
        return read.Messages.Count > 0 ? read.Messages[0].PublishedAt : null;
    }

    private async Task ForgetAsync()
    {
        state.State = new SubscriptionState();
        await SaveOrDeactivateAsync();
        if (deadLetters.RecordExists)
        {
            await deadLetters.ClearStateAsync();
        }

        deadLetters.State = new DeadLetterState();
        _waiters.WakeAll();
        _consumers.Clear();
        LoadDeliveryState();
        DeactivateOnIdle();
    }

    private async Task WriteStateAsync()
    {
        EnsureNotDiscarded();
        if (state.State.Exists)
        {
            _ledger.SaveTo(state.State);
        }

        await state.WriteStateAsync();
    }

    private Task SaveOrDeactivateAsync()
    {
        GaugesMayMove();
        return _stateWriter.SaveDurablyAsync($"Subscription '{_name}' of topic '{_topic}'");
    }

    // Settlement is saved in the background: at-least-once tolerates losing the last acks in a crash (exactly-once acks
    // wait for the save themselves, see SubscriptionGrain.ExactlyOnce.cs).
    private void MarkDirty()
    {
        GaugesMayMove();
        if (_savesDeferred)
        {
            _dirtyWhileDeferred = true;
            return;
        }

        _ = SaveInBackgroundAsync();
    }

    private async Task SaveInBackgroundAsync()
    {
        try
        {
            await _stateWriter.SaveAsync();
        }
        catch (Exception exception)
        {
            // The writer has discarded this activation: the acks since the last save are delivered again, never lost.
            LogSaveFailed(exception, _topic, _name);
        }
    }

    private void ValidateNames()
    {
        if (!EntityNames.IsValid(_topic))
        {
            throw new BrokerException(ErrorCode.InvalidName, $"'{_topic}' is not a valid topic name: it must match {EntityNames.Pattern}.");
        }

        if (!EntityNames.IsValid(_name))
        {
            throw new BrokerException(ErrorCode.InvalidName, $"'{_name}' is not a valid subscription name: it must match {EntityNames.Pattern}.");
        }
    }

    private void EnsureExists()
    {
        EnsureNotDiscarded();
        if (!state.State.Exists)
        {
            throw BrokerException.SubscriptionNotFound(_topic, _name);
        }
    }

    // Debug, as for topics: routine traffic when entities are per user or device.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscription {Topic}/{Subscription} created at sequence {Start}")]
    private partial void LogSubscriptionCreated(string topic, string subscription, long start);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscription {Topic}/{Subscription} deleted")]
    private partial void LogSubscriptionDeleted(string topic, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not save its state")]
    private partial void LogSaveFailed(Exception exception, string topic, string subscription);
}
