using System.Collections.Concurrent;
using System.Threading.Channels;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.Client;

/// <summary>
/// Pushes the messages of a durable subscription to a handler, over a hub connection of its own: set
/// <see cref="ProcessMessageAsync"/> and <see cref="ProcessErrorAsync"/>, then <see cref="StartProcessingAsync"/>.
/// </summary>
/// <remarks>
/// <para>Up to <see cref="ActorMessagingProcessorOptions.MaxConcurrentCalls"/> handlers run at once, fed from at most
/// <see cref="ActorMessagingProcessorOptions.PrefetchCount"/> leased messages. With
/// <see cref="ActorMessagingProcessorOptions.AutoAck"/> a message is acked when its handler returns and nacked when it
/// throws; the subscription then redelivers it after its backoff, with <see cref="ActorMessagingReceivedMessage.DeliveryAttempt"/>
/// one higher, and dead-letters it after its maximum attempts. Leases of messages waiting for or in a handler are renewed
/// before the subscription's ack deadline, for up to <see cref="ActorMessagingProcessorOptions.MaxAutoLeaseRenewalDuration"/>.</para>
/// <para>When the connection is lost the processor reconnects by itself, with exponential backoff and jitter
/// (<see cref="ActorMessagingClientOptions.Retry"/>) and for as long as it runs, to the next of the client's
/// <see cref="ActorMessagingClient.Endpoints"/> when there are several, and attaches again; handlers that are running finish and their
/// acks go over the new connection. Messages received but not yet handled are dropped: the subscription delivers them
/// again. Delivery is at least once: a handler may see a message again.</para>
/// </remarks>
public sealed class ActorMessagingProcessor : IAsyncDisposable
{
    private readonly ActorMessagingClient _client;
    private readonly ActorMessagingProcessorOptions _options;
    private readonly GatewayHub _hub;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Func<ProcessMessageEventArgs, Task>? _processMessage;
    private Func<ProcessErrorEventArgs, Task>? _processError;
    private volatile ProcessingRun? _run;
    private int _disposed;

    internal ActorMessagingProcessor(ActorMessagingClient client, string topic, string subscription, ActorMessagingProcessorOptions options)
    {
        _client = client;
        _options = options;
        Topic = topic;
        Subscription = subscription;
        _hub = new GatewayHub(
            client.Gateways,
            client.Options,
            connection => connection.On<ReceivedMessage[]>("Deliver", messages => _run?.OnDeliver(messages)),
            lost: exception => _run?.OnConnectionLost(exception));
    }

    /// <summary>Handles each message. Required before <see cref="StartProcessingAsync"/>; one handler, set while the processor is stopped.</summary>
    /// <exception cref="NotSupportedException">A handler is already set.</exception>
    /// <exception cref="InvalidOperationException">The processor is running.</exception>
    public event Func<ProcessMessageEventArgs, Task> ProcessMessageAsync
    {
        add => SetHandler(ref _processMessage, value);
        remove => RemoveHandler(ref _processMessage, value);
    }

    /// <summary>
    /// Sees every error: a handler that threw, an ack, nack or lease renewal that did not apply, a lost connection and each
    /// failed attempt to reconnect. Required before <see cref="StartProcessingAsync"/>. Exceptions it throws are ignored.
    /// </summary>
    /// <exception cref="NotSupportedException">A handler is already set.</exception>
    /// <exception cref="InvalidOperationException">The processor is running.</exception>
    public event Func<ProcessErrorEventArgs, Task> ProcessErrorAsync
    {
        add => SetHandler(ref _processError, value);
        remove => RemoveHandler(ref _processError, value);
    }

    /// <summary>The topic.</summary>
    public string Topic { get; }

    /// <summary>The subscription.</summary>
    public string Subscription { get; }

    /// <summary>True between <see cref="StartProcessingAsync"/> and <see cref="StopProcessingAsync"/>.</summary>
    public bool IsProcessing => _run is not null;

    /// <summary>True once the processor or its client was disposed.</summary>
    public bool IsClosed => Volatile.Read(ref _disposed) != 0 || _client.IsClosed;

    /// <summary>
    /// Attaches to the subscription and starts handling messages. Transient failures are retried by the client's retry
    /// policy; once started, a lost connection is restored by the processor itself.
    /// </summary>
    /// <param name="cancellationToken">Stops starting.</param>
    /// <returns>A task that completes once the processor is attached.</returns>
    /// <exception cref="InvalidOperationException">A handler is missing, or the processor is already running.</exception>
    /// <exception cref="ActorMessagingException">For example <see cref="ErrorCode.SubscriptionNotFound"/>.</exception>
    /// <exception cref="ObjectDisposedException">The processor or its client was disposed.</exception>
    public async Task StartProcessingAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            if (_run is not null)
            {
                throw new InvalidOperationException($"The processor of subscription '{Subscription}' of topic '{Topic}' is already running.");
            }

            var processMessage = _processMessage ?? throw new InvalidOperationException("Set ProcessMessageAsync before starting the processor.");
            var processError = _processError ?? throw new InvalidOperationException("Set ProcessErrorAsync before starting the processor.");
            var run = new ProcessingRun(this, processMessage, processError);
            _run = run;
            try
            {
                await run.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _run = null;
                await run.AbortAsync().ConfigureAwait(false);
                run.Dispose();
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops taking messages, lets the handlers that are running finish and settles their messages, then detaches from the
    /// subscription, which hands back at once what was received but not handled: nothing stays leased to this processor.
    /// </summary>
    /// <param name="cancellationToken">Cancels the token of the running handlers; the stop still waits for them to return.</param>
    /// <returns>A task that completes once the processor has stopped.</returns>
    public async Task StopProcessingAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_run is { } run)
            {
                try
                {
                    await run.StopAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _run = null;
                    run.Dispose();
                }
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops processing (as <see cref="StopProcessingAsync"/>) and closes the processor's connection. Later use throws <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A task that completes when the processor is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _client.Forget(this);
    }

    internal async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopProcessingAsync().ConfigureAwait(false);
        await _hub.DisposeAsync().ConfigureAwait(false);
    }

    internal async Task AckAsync(ActorMessagingReceivedMessage message, CancellationToken cancellationToken)
    {
        var run = _run ?? throw new InvalidOperationException("The processor is not running.");
        if (await run.AckAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false) is { } failure)
        {
            throw failure.ToException(Topic, Subscription, "Ack");
        }
    }

    internal async Task NackAsync(ActorMessagingReceivedMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        if (delay is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(delay));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMinutes(10), nameof(delay));
        }

        var failures = await InvokeSettleAsync("Nack", [Topic, Subscription, new[] { message.AckId }, delay?.TotalSeconds], cancellationToken).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw failures[0].ToException(Topic, Subscription, "Nack");
        }
    }

    internal async Task DeadLetterAsync(ActorMessagingReceivedMessage message, CancellationToken cancellationToken)
    {
        var failures = await InvokeSettleAsync("DeadLetter", [Topic, Subscription, new[] { message.AckId }], cancellationToken).ConfigureAwait(false);
        if (failures.Count > 0)
        {
            throw failures[0].ToException(Topic, Subscription, "DeadLetter");
        }
    }

    private async Task<IReadOnlyList<ActorMessagingAckFailure>> InvokeSettleAsync(string method, object?[] args, CancellationToken cancellationToken)
    {
        var failures = await _hub.InvokeAsync<AckIdFailure[]>(method, args, _client.Retry, cancellationToken).ConfigureAwait(false);
        return WireMessages.FromWire(failures);
    }

    private void SetHandler<T>(ref T? handler, T value)
        where T : Delegate
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureStopped();
        if (handler is not null)
        {
            throw new NotSupportedException("A handler is already set; remove it first.");
        }

        handler = value;
    }

    private void RemoveHandler<T>(ref T? handler, T value)
        where T : Delegate
    {
        EnsureStopped();
        if (ReferenceEquals(handler, value) || Equals(handler, value))
        {
            handler = null;
        }
    }

    private void EnsureStopped()
    {
        if (_run is not null)
        {
            throw new InvalidOperationException("Handlers can be changed only while the processor is stopped.");
        }
    }

    /// <summary>One run between start and stop: the delivery queue, the handler workers, acks, lease renewal and reconnection.</summary>
    private sealed class ProcessingRun : IDisposable
    {
        private readonly ActorMessagingProcessor _processor;
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

        public ProcessingRun(ActorMessagingProcessor processor, Func<ProcessMessageEventArgs, Task> processMessage, Func<ProcessErrorEventArgs, Task> processError)
        {
            _processor = processor;
            _processMessage = processMessage;
            _processError = processError;
            _acks = new AckBatcher(
                ids => processor.InvokeSettleAsync("Ack", [processor.Topic, processor.Subscription, ids], _running.Token),
                (message, exception) => ReportAsync(exception, ActorMessagingErrorSource.Ack, message),
                flushAt: processor._options.PrefetchCount);
        }

        private ActorMessagingProcessorOptions Options => _processor._options;

        private RetryPolicy Retry => _processor._client.Retry;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // The subscription's ack deadline paces lease renewal; reading it also reports a missing subscription by name.
            var description = await _processor._client.Http.SendAsync<SubscriptionDescription>(
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
            if (_processor._hub.IsConnected)
            {
                try
                {
                    // Detach now, so what was received but not handled goes back at once and nothing stays leased here.
                    await _processor._hub.InvokeAsync<object>("Unsubscribe", [_processor.Topic, _processor.Subscription], CancellationToken.None).ConfigureAwait(false);
                }
                catch (ActorMessagingException)
                {
                    // The connection went meanwhile: the gateway detached it when it closed.
                }
            }

            await _processor._hub.StopAsync().ConfigureAwait(false);
        }

        /// <summary>Ends the background loops (after a failed start, or at the end of a stop).</summary>
        public async Task AbortAsync()
        {
            _stopping = true;
            _deliveries.Writer.TryComplete();
            await _running.CancelAsync().ConfigureAwait(false);
            _handlers.Cancel();
            await _acks.CloseAsync().ConfigureAwait(false);
            await Task.WhenAll(_tasks).ConfigureAwait(false);
            _leased.Clear();
            if (!_processor.IsProcessing)
            {
                // A start that failed leaves no connection behind.
                await _processor._hub.StopAsync().ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            _running.Dispose();
            _handlers.Dispose();
            _reconnect.Dispose();
            _acks.Dispose();
        }

        private async Task<string> AttachAsync(CancellationToken tryToken, CancellationToken callerToken) =>
            await _processor._hub.InvokeAsync<string>("Subscribe", [_processor.Topic, _processor.Subscription, new SubscribeOptions(Options.PrefetchCount)], tryToken, callerToken).ConfigureAwait(false);

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
                    _processor._client,
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
}
