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
            var run = new ProcessingRun(this, _client, _hub, _options, processMessage, processError);
            _run = run;
            try
            {
                await run.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _run = null;
                await run.AbortAsync().ConfigureAwait(false);

                // A start that failed leaves no connection behind.
                await _hub.StopAsync().ConfigureAwait(false);
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

    /// <summary>Acks, nacks or dead-letters over the processor's hub connection, with the client's retries; what did not apply comes back.</summary>
    internal async Task<IReadOnlyList<ActorMessagingAckFailure>> InvokeSettleAsync(string method, object?[] args, CancellationToken cancellationToken)
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
}
