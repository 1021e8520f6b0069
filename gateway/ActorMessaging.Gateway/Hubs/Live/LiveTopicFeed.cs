using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using ActorMessaging.Filters;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// One topic's live subscribers on this gateway. The topic sends each durable batch here once; the feed
/// serializes it once and offers it to every subscriber, in sequence order and without gaps: a batch that
/// skips ahead (a one-way call lost, the topic moved to another silo) is preceded by what is missing, read
/// back from the log. Subscribers start at <see cref="Next"/>, the latest message, when they join.
/// Reads of the log are retried with a backoff (<see cref="RetryDelay"/>) for as long as the feed or its reader lasts:
/// a read that fails never skips messages. Only what retention already deleted is passed over, and that is
/// reported to the subscribers as a <see cref="SequenceGap"/>, in order.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Its token source is only cancelled: it never gets a timer or a wait handle, so there is nothing to release.")]
internal sealed partial class LiveTopicFeed
{
    private const int MaxReadMessages = 1000;

    /// <summary>
    /// Reads that return nothing from a sequence the topic said it holds are tried this often before the range counts
    /// as missing (a topic that moved can briefly know less than it pushed).
    /// </summary>
    internal const int MaxEmptyReads = 5;

    /// <summary>The wait before the first retry of a read of the log; it doubles with each failure up to <see cref="MaxRetryDelay"/>.</summary>
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest wait between two tries of a read of the log.</summary>
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _closing = new();
    private readonly TimeProvider _time;

    private readonly Channel<FeedSignal> _signals = Channel.CreateUnbounded<FeedSignal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITopicGrain _grain;
    private readonly LiveMessageEncoder _encoder;
    private readonly ILogger _logger;
    private LiveSubscriber[] _members = [];
    private Task? _start;
    private bool _closed;
    private bool _renewalFailed;

    public LiveTopicFeed(string topic, ITopicGrain grain, LiveMessageEncoder encoder, TimeProvider time, ILogger logger)
    {
        Topic = topic;
        _grain = grain;
        _encoder = encoder;
        _time = time;
        _logger = logger;
    }

    public string Topic { get; }

    /// <summary>Guards <see cref="Next"/>, the member list and each member's position.</summary>
    public Lock Sync { get; } = new();

    /// <summary>The next sequence the feed hands out: everything before it has been offered to the members. Guarded by <see cref="Sync"/>.</summary>
    public long Next { get; private set; }

    /// <summary>The last renewal of the gateway's registration with the topic failed; it is retried before the next regular renewal.</summary>
    public bool RenewalFailed
    {
        get => Volatile.Read(ref _renewalFailed);
        set => Volatile.Write(ref _renewalFailed, value);
    }

    /// <summary>Subscribers that still hold this feed (joining or joined); the feed goes when it drops to zero. Guarded by the owner's lock.</summary>
    internal int Holders { get; set; }

    /// <summary>Registers the gateway with the topic (once, however many join) and starts handing out batches.</summary>
    public Task StartAsync(ILiveTopicObserver observer)
    {
        lock (Sync)
        {
            return _start ??= StartCoreAsync(observer);
        }
    }

    /// <summary>True once the feed has stopped (its topic went, or its last subscriber left).</summary>
    public bool IsClosed
    {
        get
        {
            lock (Sync)
            {
                return _closed;
            }
        }
    }

    /// <summary>Adds a started subscriber at the latest message; false when it or the feed was stopped before it got here.</summary>
    public bool Add(LiveSubscriber subscriber)
    {
        lock (Sync)
        {
            if (subscriber.IsStopped || _closed)
            {
                return false;
            }

            subscriber.Expected = Next;
            _members = [.. _members, subscriber];
            return true;
        }
    }

    public void Remove(LiveSubscriber subscriber)
    {
        lock (Sync)
        {
            _members = Array.FindAll(_members, m => m != subscriber);
        }
    }

    /// <summary>A batch the topic made durable (called by the gateway's observer; never waits).</summary>
    public void Published(PublishedBatch batch) => _signals.Writer.TryWrite(new FeedSignal(batch, batch.FirstSequence));

    /// <summary>The topic says its log ends before <paramref name="nextSequence"/>: read anything the feed has not seen.</summary>
    public void CatchUpTo(long nextSequence) => _signals.Writer.TryWrite(new FeedSignal(null, nextSequence));

    /// <summary>Stops the feed and its subscribers; returns them.</summary>
    public IReadOnlyList<LiveSubscriber> Close()
    {
        _signals.Writer.TryComplete();
        _closing.Cancel();
        LiveSubscriber[] members;
        lock (Sync)
        {
            _closed = true;
            (members, _members) = (_members, []);
        }

        foreach (var member in members)
        {
            member.Stop();
        }

        return members;
    }

    /// <summary>
    /// Reads from the log for a subscriber that fell behind: the messages (those its <paramref name="filter"/> matches, when
    /// it has one), the sequence to read next, and the range before them that retention deleted. A read that fails is
    /// retried (see <see cref="RetryDelay"/>) until it succeeds or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="BrokerException">An error retrying cannot mend, such as the topic being deleted.</exception>
    public async Task<LiveRead> ReadAsync(long from, int maxMessages, MessageFilter? filter, CancellationToken cancellationToken)
    {
        var read = await ReadLogAsync(from, maxMessages, cancellationToken);
        return new LiveRead(_encoder.Encode(Topic, read.Messages, filter), Math.Max(from, read.NextSequence), GapOf(from, read));
    }

    /// <summary>Waits before try <paramref name="attempt"/> + 1 of a read, on the host's clock.</summary>
    public Task DelayAsync(int attempt, CancellationToken cancellationToken) => Task.Delay(RetryDelay(attempt), _time, cancellationToken);

    /// <summary>The wait after <paramref name="attempt"/> failed tries: 50 ms, doubling, at most 5 s.</summary>
    internal static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Clamp(attempt - 1, 0, 16)));

    /// <summary>The sequences from <paramref name="from"/> that <paramref name="read"/> passed over: the log no longer holds them.</summary>
    internal static SequenceGap? GapOf(long from, LogReadResult read)
    {
        // Sequences start at 1; a read from before that is not missing anything.
        from = Math.Max(from, 1);
        var available = read.Messages.Count > 0 ? read.Messages[0].Sequence : read.NextSequence;
        return available > from ? new SequenceGap(from, available) : null;
    }

    private async Task<LogReadResult> ReadLogAsync(long from, int maxMessages, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _grain.ReadAsync(from, maxMessages).WaitAsync(cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested && !IsPermanent(exception))
            {
                LogReadFailed(exception, Topic, from, attempt);
                await DelayAsync(attempt, cancellationToken);
            }
        }
    }

    /// <summary>Known errors retrying cannot mend (the topic was deleted); anything else, unknown errors included, is tried again.</summary>
    private static bool IsPermanent(Exception exception) => Errors.GatewayErrors.Classify(exception) is { IsTransient: false };

    private async Task StartCoreAsync(ILiveTopicObserver observer)
    {
        var position = await _grain.WatchLiveAsync(observer);
        lock (Sync)
        {
            Next = position.NextSequence;
        }

        _ = Task.Run(HandOutAsync);
    }

    // The only writer of Next after the start, so reading it outside the lock here is safe.
    private async Task HandOutAsync()
    {
        await foreach (var signal in _signals.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                if (signal.From > Next)
                {
                    await ReadGapAsync(signal.From);
                }

                if (signal.Batch is { } batch)
                {
                    HandOut(batch.Messages);
                }
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogHandOutFailed(exception, Topic);
            }
        }
    }

    private async Task ReadGapAsync(long until)
    {
        LogGap(Topic, Next, until);
        var empty = 0;
        while (Next < until)
        {
            var from = Next;
            var read = await ReadLogAsync(from, (int)Math.Min(MaxReadMessages, until - from), _closing.Token);
            if (GapOf(from, read) is { } gap)
            {
                // Gone from the log (retention) before the feed saw it: the subscribers are told, in order.
                HandOutGap(gap with { NextAvailable = Math.Min(gap.NextAvailable, until) });
            }

            HandOut([.. read.Messages.Where(m => m.Sequence < until)]);
            if (Next > from)
            {
                empty = 0;
            }
            else if (++empty < MaxEmptyReads)
            {
                // The log says it ends before what the topic pushed: a topic that just moved may not know its head yet.
                await DelayAsync(empty, _closing.Token);
            }
            else
            {
                HandOutGap(new SequenceGap(from, until));
            }
        }
    }

    /// <summary>Tells the members that <paramref name="gap"/> will never come, and moves past it.</summary>
    private void HandOutGap(SequenceGap gap)
    {
        LogGapMissing(Topic, gap.FirstMissing, gap.NextAvailable);
        lock (Sync)
        {
            Next = Math.Max(Next, gap.NextAvailable);
            foreach (var member in _members)
            {
                member.OfferGap(gap);
            }
        }
    }

    private void HandOut(IReadOnlyList<StoredMessage> messages)
    {
        var next = Next;
        if (messages.Count == 0 || messages[^1].Sequence < next)
        {
            return;
        }

        // A batch that overlaps what was handed out is rare (a gap read raced its push); the rest go on uncopied.
        IReadOnlyList<StoredMessage> fresh = messages[0].Sequence >= next ? messages : [.. messages.Where(m => m.Sequence >= next)];

        // Serialized outside the lock; a subscriber that joins meanwhile gets it serialized inside.
        var encoded = Volatile.Read(ref _members).Length > 0 ? _encoder.Encode(Topic, fresh) : null;
        lock (Sync)
        {
            Next = fresh[^1].Sequence + 1;
            if (_members.Length == 0)
            {
                return;
            }

            encoded ??= _encoder.Encode(Topic, fresh);
            foreach (var member in _members)
            {
                member.Offer(encoded);
            }
        }
    }

    private readonly record struct FeedSignal(PublishedBatch? Batch, long From);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live feed of {Topic} reads {From}..{Until} from the log: the topic's push skipped them")]
    private partial void LogGap(string topic, long from, long until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed of {Topic} could not read the log from {From} (try {Attempt}); retrying")]
    private partial void LogReadFailed(Exception exception, string topic, long from, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed of {Topic}: the log no longer holds {FirstMissing}..{NextAvailable} (retention); its live subscribers are told")]
    private partial void LogGapMissing(string topic, long firstMissing, long nextAvailable);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live feed of {Topic} failed to hand out a batch")]
    private partial void LogHandOutFailed(Exception exception, string topic);
}
