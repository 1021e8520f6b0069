using System.Threading.Channels;
using ActorMessaging.Filters;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// One topic's live subscribers on this gateway. The topic sends each durable batch here once; the feed
/// serializes it once and offers it to every subscriber, in sequence order and without gaps: a batch that
/// skips ahead (a one-way call lost, the topic moved to another silo) is preceded by what is missing, read
/// back from the log. Subscribers start at <see cref="Next"/>, the latest message, when they join.
/// </summary>
internal sealed partial class LiveTopicFeed
{
    private const int MaxReadMessages = 1000;

    private readonly Channel<FeedSignal> _signals = Channel.CreateUnbounded<FeedSignal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ITopicGrain _grain;
    private readonly LiveMessageEncoder _encoder;
    private readonly ILogger _logger;
    private LiveSubscriber[] _members = [];
    private Task? _start;
    private bool _closed;

    public LiveTopicFeed(string topic, ITopicGrain grain, LiveMessageEncoder encoder, ILogger logger)
    {
        Topic = topic;
        _grain = grain;
        _encoder = encoder;
        _logger = logger;
    }

    public string Topic { get; }

    /// <summary>Guards <see cref="Next"/>, the member list and each member's position.</summary>
    public Lock Sync { get; } = new();

    /// <summary>The next sequence the feed hands out: everything before it has been offered to the members. Guarded by <see cref="Sync"/>.</summary>
    public long Next { get; private set; }

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
    /// it has one) and the sequence to read next. A failed read returns nothing.
    /// </summary>
    public async Task<(IReadOnlyList<LiveMessage> Messages, long Next)> ReadAsync(long from, int maxMessages, MessageFilter? filter)
    {
        try
        {
            var read = await _grain.ReadAsync(from, maxMessages);
            return (_encoder.Encode(Topic, read.Messages, filter), read.NextSequence);
        }
        catch (Exception exception)
        {
            LogReadFailed(exception, Topic, from);
            return ([], from);
        }
    }

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
        await foreach (var signal in _signals.Reader.ReadAllAsync())
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
            catch (Exception exception)
            {
                LogHandOutFailed(exception, Topic);
            }
        }
    }

    private async Task ReadGapAsync(long until)
    {
        LogGap(Topic, Next, until);
        while (Next < until)
        {
            var read = await _grain.ReadAsync(Next, (int)Math.Min(MaxReadMessages, until - Next));
            if (read.Messages.Count == 0)
            {
                // Gone from the log (retention) before the feed saw it; live subscribers only promise what is there.
                SetNext(until);
                return;
            }

            HandOut([.. read.Messages.Where(m => m.Sequence < until)]);
            SetNext(Math.Max(Next, Math.Min(read.NextSequence, until)));
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

    private void SetNext(long next)
    {
        lock (Sync)
        {
            Next = next;
        }
    }

    private readonly record struct FeedSignal(PublishedBatch? Batch, long From);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live feed of {Topic} reads {From}..{Until} from the log: the topic's push skipped them")]
    private partial void LogGap(string topic, long from, long until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed of {Topic} could not read the log from {From}")]
    private partial void LogReadFailed(Exception exception, string topic, long from);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live feed of {Topic} failed to hand out a batch")]
    private partial void LogHandOutFailed(Exception exception, string topic);
}
