using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using ActorMessaging.Contracts;
using ActorMessaging.Filters;
using ActorMessaging.Gateway.Telemetry;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs.Live;

/// <summary>
/// One live subscription of one connection. Its feed hands it each batch in sequence order; it queues at most
/// <see cref="MaxInFlight"/> messages and sends them from its own loop, so a slow connection holds up only itself.
/// When the queue is full it stops taking batches from the feed and reads what it missed from the topic's log
/// at its own pace, then rejoins the feed: nothing is skipped and the gateway holds no more than the window. A read of
/// the log that fails is retried with a backoff until it succeeds (or the subscription ends); messages retention
/// deleted before the subscriber read them are reported to the connection with a <c>Gap</c> call (<see cref="LiveGap"/>)
/// in their place, never passed over silently.
/// A subscriber with a filter queues only the messages it matches, judged on the decoded message the feed already
/// holds; the JSON it sends is still the feed's, serialized once for everyone.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "Its token source is only cancelled: it never gets a timer or a wait handle, so there is nothing to release.")]
internal sealed partial class LiveSubscriber : IHubSubscription
{
    private const int MaxMessagesPerSend = 500;
    private const int MaxBytesPerSend = 1024 * 1024;

    // Messages, gaps, and (neither) the signal to catch up from the log once what is queued has gone.
    private readonly Channel<QueueItem> _queue = Channel.CreateUnbounded<QueueItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly LiveTopicFeed _feed;
    private readonly MessageFilter? _filter;
    private readonly IHubContext<MessagingHub> _hub;
    private readonly ILogger _logger;
    private int _queued;
    private int _left;
    private volatile int _maxInFlight;
    private volatile bool _stopped;

    public LiveSubscriber(string name, string connectionId, int maxInFlight, MessageFilter? filter, LiveTopicFeed feed, IHubContext<MessagingHub> hub, ILogger logger)
    {
        Subscription = name;
        ConnectionId = connectionId;
        _maxInFlight = maxInFlight;
        _filter = filter;
        _feed = feed;
        _hub = hub;
        _logger = logger;
    }

    public string Id => Subscription;

    public string ConnectionId { get; }

    public string Topic => _feed.Topic;

    public string Subscription { get; }

    public LiveTopicFeed Feed => _feed;

    /// <summary>Messages queued for the connection at most; past that the subscriber catches up from the log.</summary>
    public int MaxInFlight
    {
        get => _maxInFlight;
        set => _maxInFlight = value;
    }

    public bool IsStopped => _stopped;

    /// <summary>The next sequence this subscriber is owed. Guarded by the feed's lock.</summary>
    internal long Expected { get; set; }

    /// <summary>Behind the feed, reading from the log. Guarded by the feed's lock.</summary>
    internal bool Lagging { get; set; }

    public void Start() => _ = Task.Run(SendLoopAsync);

    public void Stop()
    {
        _stopped = true;
        _queue.Writer.TryComplete();
        _stopping.Cancel();
    }

    /// <summary>True exactly once: whoever gets it releases the subscriber's hold on its feed.</summary>
    public bool TryLeave() => Interlocked.Exchange(ref _left, 1) == 0;

    /// <summary>Called by the feed, under its lock, with the next messages in sequence order.</summary>
    internal void Offer(IReadOnlyList<LiveMessage> messages)
    {
        if (_stopped || Lagging || messages[^1].Sequence < Expected)
        {
            return;
        }

        if (messages[0].Sequence < Expected)
        {
            // It read past the feed while catching up; what it already sent is not sent again.
            messages = [.. messages.Where(m => m.Sequence >= Expected)];
        }

        if (_filter is null)
        {
            if (TryReserve(messages.Count))
            {
                foreach (var message in messages)
                {
                    _queue.Writer.TryWrite(new QueueItem(message, null));
                }
            }
        }
        else
        {
            OfferMatching(messages, _filter);
        }

        if (!Lagging)
        {
            Expected = messages[^1].Sequence + 1;
        }
    }

    // Each message is judged once; the verdicts live on the stack for the batch sizes the feed hands out.
    private void OfferMatching(IReadOnlyList<LiveMessage> messages, MessageFilter filter)
    {
        Span<bool> matches = messages.Count <= 1024 ? stackalloc bool[messages.Count] : new bool[messages.Count];
        var count = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            matches[i] = filter.Matches(messages[i].Message);
            count += matches[i] ? 1 : 0;
        }

        if (count == 0 || !TryReserve(count))
        {
            return;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (matches[i])
            {
                _queue.Writer.TryWrite(new QueueItem(messages[i], null));
            }
        }
    }

    /// <summary>Called by the feed, under its lock, when the log no longer holds <paramref name="gap"/>: the connection is told in order.</summary>
    internal void OfferGap(SequenceGap gap)
    {
        // A lagging subscriber reads the log itself and finds the gap there.
        if (_stopped || Lagging || gap.NextAvailable <= Expected)
        {
            return;
        }

        _queue.Writer.TryWrite(new QueueItem(null, gap with { FirstMissing = Math.Max(gap.FirstMissing, Expected) }));
        Expected = gap.NextAvailable;
    }

    /// <summary>Counts <paramref name="count"/> more messages as queued; false (and lagging) when they do not fit.</summary>
    private bool TryReserve(int count)
    {
        if (Volatile.Read(ref _queued) + count > MaxInFlight * 100)
        {
            Lagging = true;
            _queue.Writer.TryWrite(default);
            return false;
        }

        Interlocked.Add(ref _queued, count);
        return true;
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await SendQueuedAsync();
        }
        catch (OperationCanceledException) when (_stopped)
        {
            // Stopped while waiting to read the log again.
        }
        catch (Exception exception)
        {
            LogSendLoopFailed(exception, Topic, Subscription, ConnectionId);
            Stop();
        }
    }

    private async Task SendQueuedAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<LiveMessage>();
            var bytes = 0;
            SequenceGap? gap = null;
            var catchUp = false;
            while (!_stopped && batch.Count < MaxMessagesPerSend && bytes < MaxBytesPerSend && reader.TryRead(out var item))
            {
                if (item.Message is { } message)
                {
                    batch.Add(message);
                    bytes += message.Json.Length;
                    continue;
                }

                gap = item.Gap;
                catchUp = gap is null;
                break;
            }

            if (_stopped)
            {
                return;
            }

            if (batch.Count > 0)
            {
                Interlocked.Add(ref _queued, -batch.Count);
                await SendAsync(batch);
            }

            if (gap is { } missed)
            {
                await SendGapAsync(missed);
            }

            if (catchUp)
            {
                await CatchUpAsync();
            }
        }
    }

    private async Task CatchUpAsync()
    {
        var empty = 0;
        while (!_stopped)
        {
            long from, head;
            lock (_feed.Sync)
            {
                from = Expected;
                head = _feed.Next;
                if (from >= head)
                {
                    Lagging = false;
                    LogCaughtUp(Topic, Subscription);
                    return;
                }
            }

            // Retries until the log answers: a read that fails never moves the subscriber on.
            var read = await _feed.ReadAsync(from, MaxMessagesPerSend, _filter, _stopping.Token);
            if (read.Gap is { } gap)
            {
                await SendGapAsync(gap);
            }

            if (read.Messages.Count > 0)
            {
                await SendAsync(read.Messages);
            }

            if (read.Next > from)
            {
                empty = 0;
                lock (_feed.Sync)
                {
                    Expected = read.Next;
                }
            }
            else if (++empty < LiveTopicFeed.MaxEmptyReads)
            {
                // The log says it ends before what the feed handed out: a topic that just moved may not know its head yet.
                await _feed.DelayAsync(empty, _stopping.Token);
            }
            else
            {
                await SendGapAsync(new SequenceGap(from, head));
                lock (_feed.Sync)
                {
                    Expected = Math.Max(Expected, head);
                }
            }
        }
    }

    private async Task SendAsync(IReadOnlyList<LiveMessage> messages)
    {
        try
        {
            // Completes once SignalR has the frame; its transport buffer applies backpressure.
            await _hub.Clients.Client(ConnectionId).SendAsync(MessagingHub.DeliverMethod, new LiveFrame(Subscription, messages));
            LiveDeliveryTelemetry.Sent(Topic, messages.Count);
        }
        catch (Exception exception)
        {
            // The connection is going; OnDisconnected removes this subscriber.
            LogSendFailed(exception, Topic, Subscription, ConnectionId);
        }
    }

    private async Task SendGapAsync(SequenceGap gap)
    {
        LogGapSent(Topic, Subscription, gap.FirstMissing, gap.NextAvailable);
        try
        {
            var wire = new LiveGap { Topic = Topic, Subscription = Subscription, FirstMissing = gap.FirstMissing, NextAvailable = gap.NextAvailable };
            await _hub.Clients.Client(ConnectionId).SendAsync(MessagingHub.GapMethod, wire);
        }
        catch (Exception exception)
        {
            LogSendFailed(exception, Topic, Subscription, ConnectionId);
        }
    }

    /// <summary>One entry of the send queue: a message, a gap, or (neither) the signal to catch up from the log.</summary>
    private readonly record struct QueueItem(LiveMessage? Message, SequenceGap? Gap);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live subscription {Topic}/{Subscription} caught up with its feed")]
    private partial void LogCaughtUp(string topic, string subscription);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live subscription {Topic}/{Subscription} misses {FirstMissing}..{NextAvailable}: the log no longer holds them; its connection is told")]
    private partial void LogGapSent(string topic, string subscription, long firstMissing, long nextAvailable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending to live subscription {Topic}/{Subscription} of connection {ConnectionId} failed")]
    private partial void LogSendFailed(Exception exception, string topic, string subscription, string connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The send loop of live subscription {Topic}/{Subscription} of connection {ConnectionId} stopped")]
    private partial void LogSendLoopFailed(Exception exception, string topic, string subscription, string connectionId);
}
