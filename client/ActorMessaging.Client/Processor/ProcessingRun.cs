using System.Collections.Concurrent;
using System.Threading.Channels;
using ActorMessaging.Contracts;

namespace ActorMessaging.Client;

/// <summary>
/// One run of an <see cref="ActorMessagingProcessor"/> between start and stop: the delivery queue, the handler workers,
/// acks, lease renewal and reconnection. The processor owns the hub connection and hands it in; from the processor itself
/// the run uses only its names, its settle call over the hub and, in the handlers' arguments, the processor as the
/// target of explicit settlement.
/// </summary>
internal sealed class ProcessingRun : IDisposable
{
    private readonly ActorMessagingProcessor _processor;
    private readonly ActorMessagingClient _client;
    private readonly GatewayHub _hub;
    private readonly Func<ProcessMessageEventArgs, Task> _processMessage;
    private readonly Func<ProcessErrorEventArgs, Task> _processError;
    private readonly Channel<Delivery[]> _deliveries = Channel.CreateUnbounded<Delivery[]>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
    private readonly ConcurrentDictionary<string, Delivery> _leased = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _settling = new();
    private readonly SemaphoreSlim _reconnect = new(0);
    private readonly CancellationTokenSource _running = new();
    private readonly CancellationTokenSource _handlers = new();
    private readonly AckBatcher _acks;
    private readonly List<Task> _tasks = [];
    private TimeSpan _ackDeadline;
    private int _generation;
    private int _waiting;
    private volatile bool _stopping;

    /// <param name="processor">Names the topic and subscription, settles over its hub connection, and is what the handlers' explicit acks and nacks go to.</param>
    /// <param name="client">The processor's client: its retry policy and clock, and its HTTP API for the subscription's ack deadline and lease renewal.</param>
    /// <param name="hub">The processor's own hub connection; the run attaches, detaches and stops it.</param>
    /// <param name="options">Concurrency, prefetch, auto-ack and lease renewal.</param>
    /// <param name="processMessage">The message handler.</param>
    /// <param name="processError">The error handler.</param>
    public ProcessingRun(
        ActorMessagingProcessor processor,
        ActorMessagingClient client,
        GatewayHub hub,
        ActorMessagingProcessorOptions options,
        Func<ProcessMessageEventArgs, Task> processMessage,
        Func<ProcessErrorEventArgs, Task> processError)
    {
        _processor = processor;
        _client = client;
        _hub = hub;
        Options = options;
        _processMessage = processMessage;
        _processError = processError;
        _acks = new AckBatcher(
            ids => processor.InvokeSettleAsync("Ack", [processor.Topic, processor.Subscription, ids], _running.Token),
            (message, exception) => ReportAsync(exception, ActorMessagingErrorSource.Ack, message),
            flushAt: options.PrefetchCount);
    }

    private ActorMessagingProcessorOptions Options { get; }

    private RetryPolicy Retry => _client.Retry;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The subscription's ack deadline paces lease renewal; reading it also reports a missing subscription by name.
        var description = await _client.Http.SendAsync<SubscriptionDescription>(
            HttpMethod.Get,
            GatewayHttp.SubscriptionPath(_processor.Topic, _processor.Subscription),
            $"Get subscription '{_processor.Subscription}' of topic '{_processor.Topic}'",
            cancellationToken).ConfigureAwait(false);
        _ackDeadline = TimeSpan.FromSeconds(description?.Settings.AckDeadlineSeconds ?? 30);
        await Retry.ExecuteAsync(token => AttachAsync(token, cancellationToken), cancellationToken, operation: $"Attach to subscription '{_processor.Subscription}' of topic '{_processor.Topic}'").ConfigureAwait(false);
        _tasks.Add(Task.Run(DispatchAsync, CancellationToken.None));
        _tasks.Add(Task.Run(RenewLeasesAsync, CancellationToken.None));
        _tasks.Add(Task.Run(ReconnectAsync, CancellationToken.None));
    }

    public void OnDeliver(ReceivedMessage[] messages)
    {
        if (_stopping)
        {
            // Detaching at the end of the stop hands these back.
            return;
        }

        var generation = Volatile.Read(ref _generation);
        var now = Retry.Time.GetUtcNow();
        var batch = new Delivery[messages.Length];
        for (var i = 0; i < messages.Length; i++)
        {
            var delivery = new Delivery(WireMessages.FromWire(messages[i], _processor.Topic, _processor.Subscription), generation, now, now + (_ackDeadline / 2));
            _leased[delivery.Message.AckId] = delivery;
            batch[i] = delivery;
        }

        // The whole batch at once: a handler that finishes meanwhile must not take a half-written batch for the end of the work.
        Interlocked.Add(ref _waiting, batch.Length);
        _deliveries.Writer.TryWrite(batch);
    }

    public void OnConnectionLost(Exception? exception)
    {
        if (_stopping || _running.IsCancellationRequested)
        {
            return;
        }

        // What was received and not started is the subscription's again (released by the gateway, or when its lease ends).
        Interlocked.Increment(ref _generation);
        _leased.Clear();
        _reconnect.Release();
        _ = ReportAsync(
            new ActorMessagingException(ErrorCode.Unavailable, $"The connection of the processor of subscription '{_processor.Subscription}' of topic '{_processor.Topic}' was lost; reconnecting.", exception),
            ActorMessagingErrorSource.Receive,
            null);
    }

    public Task<ActorMessagingAckFailure?> AckAsync(ActorMessagingReceivedMessage message) => _acks.AckAsync(message);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _deliveries.Writer.TryComplete();
        using (cancellationToken.Register(_handlers.Cancel))
        {
            await _tasks[0].ConfigureAwait(false);
            await Task.WhenAll(_settling.Keys).ConfigureAwait(false);
            await _acks.CloseAsync().ConfigureAwait(false);
        }

        await AbortAsync().ConfigureAwait(false);
        if (_hub.IsConnected)
        {
            try
            {
                // Detach now, so what was received but not handled goes back at once and nothing stays leased here.
                await _hub.InvokeAsync<object>("Unsubscribe", [_processor.Topic, _processor.Subscription], CancellationToken.None).ConfigureAwait(false);
            }
            catch (ActorMessagingException)
            {
                // The connection went meanwhile: the gateway detached it when it closed.
            }
        }

        await _hub.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Ends the background loops (after a failed start, or at the end of a stop); after a failed start the processor then stops the connection.</summary>
    public async Task AbortAsync()
    {
        _stopping = true;
        _deliveries.Writer.TryComplete();
        await _running.CancelAsync().ConfigureAwait(false);
        _handlers.Cancel();
        await _acks.CloseAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        _leased.Clear();
    }

    public void Dispose()
    {
        _running.Dispose();
        _handlers.Dispose();
        _reconnect.Dispose();
        _acks.Dispose();
    }

    private async Task<string> AttachAsync(CancellationToken tryToken, CancellationToken callerToken) =>
        await _hub.InvokeAsync<string>("Subscribe", [_processor.Topic, _processor.Subscription, new SubscribeOptions(Options.PrefetchCount)], tryToken, callerToken).ConfigureAwait(false);

    /// <summary>
    /// Starts a handler for each delivery as soon as one of <see cref="ActorMessagingProcessorOptions.MaxConcurrentCalls"/>
    /// slots is free. A handler that completes synchronously runs inline, without a thread switch per message.
    /// Ends once the queue is closed and every handler has returned.
    /// </summary>
    private async Task DispatchAsync()
    {
        using var slots = new SemaphoreSlim(Options.MaxConcurrentCalls, Options.MaxConcurrentCalls);
        await foreach (var batch in _deliveries.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            foreach (var delivery in batch)
            {
                await slots.WaitAsync().ConfigureAwait(false);
                Interlocked.Decrement(ref _waiting);

                // Checked once a slot is free: a stop (or a lost connection) while waiting means this one is not started.
                if (_stopping || delivery.Generation != Volatile.Read(ref _generation))
                {
                    _leased.TryRemove(delivery.Message.AckId, out _);
                    slots.Release();
                    continue;
                }

                _ = HandleAsync(delivery, slots);
            }
        }

        for (var i = 0; i < Options.MaxConcurrentCalls; i++)
        {
            await slots.WaitAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(Delivery delivery, SemaphoreSlim slots)
    {
        var message = delivery.Message;
        var args = new ProcessMessageEventArgs(message, _processor, _handlers.Token);
        try
        {
            await _processMessage(args).ConfigureAwait(false);
            if (Options.AutoAck && !args.IsSettled)
            {
                _acks.Enqueue(message, idle: Volatile.Read(ref _waiting) == 0);
            }
        }
        catch (Exception exception)
        {
            await ReportAsync(exception, ActorMessagingErrorSource.ProcessMessageCallback, message).ConfigureAwait(false);
            if (Options.AutoAck && !args.IsSettled)
            {
                Track(AutoNackAsync(message));
            }
        }
        finally
        {
            _leased.TryRemove(message.AckId, out _);
            slots.Release();
        }
    }

    private void Track(Task settle)
    {
        _settling.TryAdd(settle, 0);
        _ = settle.ContinueWith(t => _settling.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task AutoNackAsync(ActorMessagingReceivedMessage message)
    {
        try
        {
            var failures = await _processor.InvokeSettleAsync("Nack", [_processor.Topic, _processor.Subscription, new[] { message.AckId }, null], _running.Token).ConfigureAwait(false);
            if (failures.Count > 0)
            {
                await ReportAsync(failures[0].ToException(_processor.Topic, _processor.Subscription, "Nack"), ActorMessagingErrorSource.Nack, message).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            await ReportAsync(exception, ActorMessagingErrorSource.Nack, message).ConfigureAwait(false);
        }
    }

    /// <summary>Extends, in one call per 1000, every lease past half its ack deadline, by the ack deadline.</summary>
    private async Task RenewLeasesAsync()
    {
        if (Options.MaxAutoLeaseRenewalDuration <= TimeSpan.Zero)
        {
            return;
        }

        var tick = TimeSpan.FromTicks(Math.Clamp(_ackDeadline.Ticks / 10, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
        var token = _running.Token;
        try
        {
            while (true)
            {
                await Task.Delay(tick, Retry.Time, token).ConfigureAwait(false);
                var now = Retry.Time.GetUtcNow();
                var due = _leased.Values.Where(d => d.RenewAt <= now && now - d.ReceivedAt < Options.MaxAutoLeaseRenewalDuration).ToList();
                foreach (var chunk in due.Chunk(ActorMessagingReceiver.MaxMessagesPerCall))
                {
                    await RenewAsync(chunk, now, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private async Task RenewAsync(Delivery[] chunk, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var failures = await ActorMessagingReceiver.SettleAsync(
                _client,
                _processor.Topic,
                _processor.Subscription,
                "extend",
                "Extend",
                [.. chunk.Select(d => d.Message.AckId)],
                new ExtendRequest { Seconds = _ackDeadline.TotalSeconds },
                cancellationToken).ConfigureAwait(false);
            foreach (var delivery in chunk)
            {
                delivery.RenewAt = now + (_ackDeadline / 2);
            }

            foreach (var failure in failures)
            {
                if (_leased.TryRemove(failure.AckId, out var lost))
                {
                    await ReportAsync(failure.ToException(_processor.Topic, _processor.Subscription, "Lease renewal"), ActorMessagingErrorSource.RenewLease, lost.Message).ConfigureAwait(false);
                }
            }
        }
        catch (ActorMessagingException exception)
        {
            await ReportAsync(exception, ActorMessagingErrorSource.RenewLease, null).ConfigureAwait(false);
        }
    }

    /// <summary>After each lost connection: wait (backoff with jitter), connect and attach again, until it works or the run ends.</summary>
    private async Task ReconnectAsync()
    {
        var token = _running.Token;
        try
        {
            while (true)
            {
                await _reconnect.WaitAsync(token).ConfigureAwait(false);
                for (var attempt = 1; ; attempt++)
                {
                    await Task.Delay(Retry.DelayFor(attempt), Retry.Time, token).ConfigureAwait(false);
                    try
                    {
                        using var tryTimeout = CancellationTokenSource.CreateLinkedTokenSource(token);
                        tryTimeout.CancelAfter(Retry.Options.TryTimeout);
                        await AttachAsync(tryTimeout.Token, token).ConfigureAwait(false);
                        break;
                    }
                    catch (Exception exception) when (!token.IsCancellationRequested)
                    {
                        await ReportAsync(exception, ActorMessagingErrorSource.Receive, null).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The run ended.
        }
    }

    private async Task ReportAsync(Exception exception, ActorMessagingErrorSource source, ActorMessagingReceivedMessage? message)
    {
        try
        {
            await _processError(new ProcessErrorEventArgs(exception, source, _processor.Topic, _processor.Subscription, message, _running.Token)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The error handler's own failure has nowhere further to go; processing goes on.
        }
    }

    private sealed record SubscribeOptions(int MaxInFlight);

    private sealed class Delivery(ActorMessagingReceivedMessage message, int generation, DateTimeOffset receivedAt, DateTimeOffset renewAt)
    {
        public ActorMessagingReceivedMessage Message { get; } = message;

        public int Generation { get; } = generation;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public DateTimeOffset RenewAt { get; set; } = renewAt;
    }
}
