using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    internal const int MaxPullMessages = 1000;
    internal static readonly TimeSpan MaxPullWait = TimeSpan.FromSeconds(30);
    private const int MaxPushBatch = 100;
    private const int MaxConsecutivePushFailures = 3;

    public async Task<IReadOnlyList<Delivery>> PullAsync(int maxMessages, TimeSpan wait)
    {
        if (maxMessages < 1 || maxMessages > MaxPullMessages)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"maxMessages must be between 1 and {MaxPullMessages}, was {maxMessages}.");
        }

        if (wait < TimeSpan.Zero || wait > MaxPullWait)
        {
            throw new BrokerException(ErrorCode.InvalidArgument, $"wait must be between 0 and {MaxPullWait.TotalSeconds} seconds, was {wait.TotalSeconds}.");
        }

        EnsureExists();
        var now = clock.UtcNow;
        var deadline = now + wait;
        var refreshed = false;
        while (true)
        {
            EnsureNotDiscarded();
            ExpireLeases(now);
            var deliveries = Take(maxMessages, consumer: null, now);
            if (deliveries.Count > 0)
            {
                return deliveries;
            }

            // Nothing ready in memory: learn the topic's head and read ahead once before waiting or giving up.
            if (!refreshed)
            {
                refreshed = true;
                await RefreshAsync(watch: wait > TimeSpan.Zero);
                EnsureExists();
                now = clock.UtcNow;
                continue;
            }

            if (now >= deadline)
            {
                return deliveries;
            }

            var signal = _waiters.Add();
            KeepTicking();
            try
            {
                await WaitAsync(signal.Task, Earliest(deadline, NextWakeUp()) - now);
            }
            finally
            {
                _waiters.Remove(signal);
            }

            EnsureExists();
            now = clock.UtcNow;
        }
    }

    private async Task RefreshAsync(bool watch)
    {
        var position = watch ? await _topicGrain.WatchAsync(_name) : await _topicGrain.GetPositionAsync();
        if (watch)
        {
            _watch.Renewed(clock.UtcNow);
        }

        _readAhead.Learn(position.NextSequence - 1);
        EnsureFetching();
        if (_readAhead.Reading is { } fetch)
        {
            await fetch;
        }
    }

    public Task OnPublishedAsync(PublishedBatch batch)
    {
        if (!state.State.Exists || batch.Messages.Count == 0)
        {
            return Task.CompletedTask;
        }

        _readAhead.Learn(batch.LastSequence);

        // Taken as is only when it continues exactly where reading stands; otherwise the log is read.
        if (_readAhead.Continues(batch.FirstSequence, _ready.Fresh))
        {
            Accept(batch.Messages, _readAhead.Next, batch.LastSequence + 1);
        }

        Pump(clock.UtcNow);
        return Task.CompletedTask;
    }

    /// <summary>Rebuilds the in-memory delivery state from what storage holds; leases of the activation end (with <paramref name="newEpoch"/>, their ack ids read as ended).</summary>
    private void LoadDeliveryState(bool newEpoch = false)
    {
        _lanes.Clear();
        _ready.Clear();
        _leases.Clear(newEpoch);
        var resubmitted = _ledger.Load(state.State);
        _filter.Load(CompileFilter(state.State.Settings));
        _readAhead.Restart(_ledger.Floor);
        _watch.Lapse();
        var now = clock.UtcNow;
        foreach (var pending in resubmitted)
        {
            _ready.Add(pending, now);
        }
    }

    /// <summary>
    /// Leases to expire, consumers to feed and expire, pulls to wake, the topic watch to renew: what the tick does. A
    /// subscription with none of them does not tick: a message that becomes due meanwhile (a retry, a scheduled one)
    /// waits for the pull or the consumer that comes for it, which takes it without a tick.
    /// </summary>
    private bool HasDeliveryWork => _leases.InFlight > 0 || Watching;

    /// <summary>Someone waits for messages (a consumer, a pull), so the topic's watch tells this subscription of every publish.</summary>
    private bool Watching => _consumers.Count > 0 || _waiters.Count > 0;

    /// <summary>Called where delivery work begins (a lease, a consumer, a waiting pull): ticks every second until it is done.</summary>
    private void KeepTicking()
    {
        _ticker.Within(TickInterval);
        GaugesMayMove();
    }

    private Task TickAsync()
    {
        if (!state.State.Exists)
        {
            return Task.CompletedTask;
        }

        try
        {
            Tick();
            ExpireConsumers(clock.UtcNow);
            if (Watching)
            {
                EnsureWatching(clock.UtcNow);
            }
        }
        finally
        {
            if (HasDeliveryWork)
            {
                _ticker.Within(TickInterval);
            }
        }

        return Task.CompletedTask;
    }

    private void Tick()
    {
        var now = clock.UtcNow;
        ExpireLeases(now);
        Pump(now);
    }

    /// <summary>Hands ready messages to waiting pulls and to push consumers with credit, and keeps the read-ahead filled.</summary>
    private void Pump(DateTimeOffset now)
    {
        if (_ready.HasDue(now))
        {
            _waiters.WakeAll();
            foreach (var consumer in _consumers.ReadyToSend)
            {
                _ = PushAsync(consumer);
            }
        }

        EnsureFetching();
    }

    /// <summary>Leases up to <paramref name="max"/> ready messages.</summary>
    private List<Delivery> Take(int max, AttachedConsumer? consumer, DateTimeOffset now)
    {
        var deliveries = new List<Delivery>();
        while (!_discarded && deliveries.Count < max && _ready.TryTakeDue(now, out var pending))
        {
            if (!StillAdmitted(pending))
            {
                MarkDirty();
                continue;
            }

            if (IsExpired(pending, now))
            {
                Expire(pending, now);
                continue;
            }

            var ackId = _leases.Grant(pending, now + Settings.AckDeadline, consumer?.Id);
            deliveries.Add(new Delivery(ackId, pending.Attempts, pending.Message));
        }

        DeliveryTelemetry.Delivered(_topic, _name, deliveries);

        if (deliveries.Count > 0)
        {
            if (consumer is not null)
            {
                consumer.InFlight += deliveries.Count;
            }

            KeepTicking();
            MarkDirty();
            EnsureFetching();
        }

        return deliveries;
    }

    private void ExpireLeases(DateTimeOffset now)
    {
        while (_leases.TryTakeExpired(now, out var pending))
        {
            if (!_ledger.IsPending(pending.Sequence))
            {
                continue;
            }

            EndLease(pending);
            RetryOrDeadLetter(pending, delay: null, now);
        }
    }

    private void EndLease(PendingMessage pending)
    {
        _consumers.LeaseEnded(pending.ConsumerId);
        _leases.End(pending);
    }

    private DateTimeOffset NextWakeUp() =>
        Earliest(_ready.NextDue ?? DateTimeOffset.MaxValue, _leases.NextExpiry ?? DateTimeOffset.MaxValue);

    private async Task WaitAsync(Task signal, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(timeout, clock.Time, cancel.Token);
        await Task.WhenAny(signal, delay);
        await cancel.CancelAsync();
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>Renews the topic watch when due, without waiting for it (see <see cref="TopicWatch"/>).</summary>
    private void EnsureWatching(DateTimeOffset now)
    {
        if (_watch.TryBeginRenewal(now))
        {
            _ = WatchAsync();
        }
    }

    private async Task WatchAsync()
    {
        try
        {
            var position = await _topicGrain.WatchAsync(_name);
            _readAhead.Learn(position.NextSequence - 1);
            Pump(clock.UtcNow);
        }
        catch (Exception exception)
        {
            _watch.Lapse();
            LogWatchFailed(exception, _topic, _name);
        }
        finally
        {
            _watch.Ended();
        }
    }

    private void EnsureFetching()
    {
        if (state.State.Exists && _readAhead.ShouldRead(_ready.Fresh, _lanes.IsFull))
        {
            _readAhead.Started(FetchAsync());
        }
    }

    private async Task FetchAsync()
    {
        try
        {
            var from = _readAhead.Next;
            var generation = _readAhead.Generation;
            var result = await _topicGrain.ReadAsync(from, ReadAhead.ReadSize);
            _readAhead.Learn(result.LastSequence);
            if (state.State.Exists && generation == _readAhead.Generation)
            {
                Accept(result.Messages, from, result.NextSequence);
            }
        }
        catch (Exception exception)
        {
            LogFetchFailed(exception, _topic, _name);
            return;
        }
        finally
        {
            _readAhead.Finished();
        }

        Pump(clock.UtcNow);
    }

    /// <summary>Takes messages read from the log (from <paramref name="from"/>) into the read-ahead.</summary>
    private void Accept(IReadOnlyList<StoredMessage> messages, long from, long next)
    {
        _ledger.SettleMissing(from, messages, next);
        var now = clock.UtcNow;
        var rejected = false;
        foreach (var message in messages)
        {
            if (_ledger.Tracks(message.Sequence))
            {
                continue;
            }

            if (!Admit(message))
            {
                rejected = true;
                continue;
            }

            var pending = _ledger.Add(message, _filter.Version);
            if (_lanes.Enter(pending))
            {
                _ready.Add(pending, ReadyAt(message, now));
            }
        }

        _readAhead.Advance(next);
        if (rejected)
        {
            MarkDirty();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not read its topic; reading again at the next tick or pull")]
    private partial void LogFetchFailed(Exception exception, string topic, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not watch its topic")]
    private partial void LogWatchFailed(Exception exception, string topic, string subscription);
}
