using Microsoft.Extensions.Logging;

namespace ActorMessaging.Grains.Subscriptions;

internal sealed partial class SubscriptionGrain
{
    internal const int MaxPullMessages = 1000;
    internal static readonly TimeSpan MaxPullWait = TimeSpan.FromSeconds(30);
    private const int FetchSize = 500;
    private const int ReadAheadLowWater = 500;
    private const int ReadAheadHighWater = 2000;
    private const int MaxPushBatch = 100;
    private const int MaxConsecutivePushFailures = 3;
    private static readonly TimeSpan WatchRenewal = TimeSpan.FromSeconds(10);

    private readonly Dictionary<long, PendingMessage> _pending = [];
    private readonly PriorityQueue<PendingMessage, (DateTimeOffset At, long Sequence)> _ready = new();
    private readonly PriorityQueue<PendingMessage, DateTimeOffset> _leaseExpiries = new();
    private readonly List<TaskCompletionSource> _waiters = [];
    private SettledSet _settled = new(1, []);
    private Dictionary<long, int> _restoredAttempts = [];
    private int _epoch;
    private long _nextFetch;
    private long _knownLast;
    private Task? _fetch;
    private int _freshReady;
    private int _inFlight;
    private int _resubmittedCount;
    private DateTimeOffset _lastWatch = DateTimeOffset.MinValue;
    private bool _watching;

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

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add(signal);
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
            _lastWatch = clock.UtcNow;
        }

        _knownLast = Math.Max(_knownLast, position.NextSequence - 1);
        EnsureFetching();
        if (_fetch is { } fetch)
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

        _knownLast = Math.Max(_knownLast, batch.LastSequence);

        // Taken as is only when it continues exactly where reading stands; otherwise the log is read.
        if (_fetch is null && batch.FirstSequence == _nextFetch && _freshReady < ReadAheadHighWater)
        {
            Accept(batch.Messages, _nextFetch, batch.LastSequence + 1);
        }

        Pump(clock.UtcNow);
        return Task.CompletedTask;
    }

    private void LoadDeliveryState()
    {
        _pending.Clear();
        _lanes.Clear();
        _ready.Clear();
        _leaseExpiries.Clear();
        _settled = new SettledSet(state.State.AckFloor, state.State.SettledAboveFloor);
        UseFilter(CompileFilter(state.State.Settings));
        _filterJudgedThrough = 0;
        _restoredAttempts = new Dictionary<long, int>(state.State.Attempts);
        _nextFetch = _settled.Floor;
        _knownLast = _settled.Floor - 1;
        _freshReady = 0;
        _inFlight = 0;
        _resubmittedCount = 0;
        _lastWatch = DateTimeOffset.MinValue;
        var now = clock.UtcNow;
        foreach (var message in state.State.Resubmitted)
        {
            var pending = new PendingMessage(message, _restoredAttempts.GetValueOrDefault(message.Sequence), resubmitted: true) { Fresh = false };
            _pending[message.Sequence] = pending;
            _resubmittedCount++;
            MakeReady(pending, now);
        }
    }

    private Task TickAsync()
    {
        if (!state.State.Exists)
        {
            return Task.CompletedTask;
        }

        Tick();
        ExpireConsumers(clock.UtcNow);
        if (_consumers.Count > 0 || _waiters.Count > 0)
        {
            EnsureWatching(clock.UtcNow);
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
        if (HasReady(now))
        {
            foreach (var waiter in _waiters)
            {
                waiter.TrySetResult();
            }

            foreach (var consumer in _consumers.Values)
            {
                if (!consumer.Sending && consumer.Credit > 0)
                {
                    _ = PushAsync(consumer);
                }
            }
        }

        EnsureFetching();
    }

    private bool HasReady(DateTimeOffset now) => _ready.TryPeek(out _, out var key) && key.At <= now;

    /// <summary>Leases up to <paramref name="max"/> ready messages.</summary>
    private List<Delivery> Take(int max, AttachedConsumer? consumer, DateTimeOffset now)
    {
        var deliveries = new List<Delivery>();
        while (!_discarded && deliveries.Count < max && _ready.TryPeek(out var pending, out var key) && key.At <= now)
        {
            _ready.Dequeue();
            pending.InReady = false;
            if (pending.Fresh)
            {
                pending.Fresh = false;
                _freshReady--;
            }

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

            pending.Attempts++;
            pending.LeaseDeadline = now + Settings.AckDeadline;
            pending.ConsumerId = consumer?.Id;
            _leaseExpiries.Enqueue(pending, pending.LeaseDeadline.Value);
            _inFlight++;
            deliveries.Add(new Delivery(AckId.Format(_epoch, pending.Sequence, pending.Attempts), pending.Attempts, pending.Message));
        }

        DeliveryTelemetry.Delivered(_topic, _name, deliveries);

        if (deliveries.Count > 0)
        {
            if (consumer is not null)
            {
                consumer.InFlight += deliveries.Count;
            }

            MarkDirty();
            EnsureFetching();
        }

        return deliveries;
    }

    private void MakeReady(PendingMessage pending, DateTimeOffset availableAt)
    {
        pending.InReady = true;
        _ready.Enqueue(pending, (availableAt, pending.Sequence));
    }

    private void ExpireLeases(DateTimeOffset now)
    {
        while (_leaseExpiries.TryPeek(out var pending, out var deadline) && deadline <= now)
        {
            _leaseExpiries.Dequeue();

            // Extending a lease enqueues a new deadline; the superseded entry is skipped here.
            if (pending.LeaseDeadline != deadline || !_pending.ContainsKey(pending.Sequence))
            {
                continue;
            }

            EndLease(pending);
            RetryOrDeadLetter(pending, delay: null, now);
        }
    }

    private void EndLease(PendingMessage pending)
    {
        if (pending.ConsumerId is { } consumerId && _consumers.TryGetValue(consumerId, out var consumer))
        {
            consumer.InFlight--;
        }

        pending.LeaseDeadline = null;
        pending.ConsumerId = null;
        _inFlight--;
    }

    private DateTimeOffset NextWakeUp()
    {
        var next = DateTimeOffset.MaxValue;
        if (_ready.TryPeek(out _, out var ready))
        {
            next = ready.At;
        }

        if (_leaseExpiries.TryPeek(out _, out var expiry) && expiry < next)
        {
            next = expiry;
        }

        return next;
    }

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

    private void ReleaseWaiters()
    {
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>
    /// Renews the topic watch without waiting for it: the topic may be on a silo that does not answer (frozen or cut
    /// off), and a turn that waited would hold acks, extensions and attaches for the whole response timeout, long
    /// enough for leases to run out and messages to be delivered twice. Until the topic answers, reads of the log and
    /// the lease timers keep the subscription going.
    /// </summary>
    private void EnsureWatching(DateTimeOffset now)
    {
        if (_watching || now - _lastWatch < WatchRenewal)
        {
            return;
        }

        _lastWatch = now;
        _watching = true;
        _ = WatchAsync();
    }

    private async Task WatchAsync()
    {
        try
        {
            var position = await _topicGrain.WatchAsync(_name);
            _knownLast = Math.Max(_knownLast, position.NextSequence - 1);
            Pump(clock.UtcNow);
        }
        catch (Exception exception)
        {
            _lastWatch = DateTimeOffset.MinValue;
            LogWatchFailed(exception, _topic, _name);
        }
        finally
        {
            _watching = false;
        }
    }

    private void EnsureFetching()
    {
        if (_fetch is null && state.State.Exists && _freshReady < ReadAheadLowWater && _lanes.Waiting < MaxWaitingInLanes && _nextFetch <= _knownLast)
        {
            // A read that completes at once (its reply beat the await) has already cleared _fetch, and may have
            // started the next one: keeping the finished task would stop this subscription reading for good.
            var fetch = FetchAsync();
            if (!fetch.IsCompleted)
            {
                _fetch = fetch;
            }
        }
    }

    private async Task FetchAsync()
    {
        try
        {
            var from = _nextFetch;
            var generation = _seekGeneration;
            var result = await _topicGrain.ReadAsync(from, FetchSize);
            _knownLast = Math.Max(_knownLast, result.LastSequence);
            if (state.State.Exists && generation == _seekGeneration)
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
            _fetch = null;
        }

        Pump(clock.UtcNow);
    }

    /// <summary>Takes messages read from the log (from <paramref name="from"/>) into the read-ahead.</summary>
    private void Accept(IReadOnlyList<StoredMessage> messages, long from, long next)
    {
        // Sequences the log no longer has (retention removed them) can never be delivered: settle them.
        var firstPresent = messages.Count > 0 ? messages[0].Sequence : next;
        if (firstPresent > from)
        {
            _settled.AddRange(from, firstPresent - 1);
        }

        var now = clock.UtcNow;
        var rejected = false;
        foreach (var message in messages)
        {
            if (_settled.Contains(message.Sequence) || _pending.ContainsKey(message.Sequence))
            {
                continue;
            }

            if (!Admit(message))
            {
                rejected = true;
                continue;
            }

            _restoredAttempts.Remove(message.Sequence, out var attempts);
            var pending = new PendingMessage(message, attempts, resubmitted: false) { FilterVersion = _filterVersion };
            _pending[message.Sequence] = pending;
            if (_lanes.Enter(pending))
            {
                _freshReady++;
                MakeReady(pending, ReadyAt(message, now));
            }
        }

        _nextFetch = Math.Max(_nextFetch, next);
        if (rejected)
        {
            MarkDirty();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not read its topic; retrying on the next tick")]
    private partial void LogFetchFailed(Exception exception, string topic, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscription {Topic}/{Subscription} could not watch its topic")]
    private partial void LogWatchFailed(Exception exception, string topic, string subscription);
}
