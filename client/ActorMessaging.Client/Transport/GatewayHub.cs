using ActorMessaging.Contracts.MessagePack;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Client;

/// <summary>
/// One SignalR connection to a gateway's hub (<c>/hubs/messaging</c>, WebSockets only) with the client's credential.
/// <see cref="GetAsync"/> connects on first use and again after the connection was lost, so callers simply retry (the
/// <see cref="RetryPolicy"/> retries the <see cref="ErrorCode.Unavailable"/> a lost connection gives). The connection goes
/// to the current gateway of <see cref="GatewayEndpoints"/> and stays there while it is open; a refused connection
/// attempt or a connection that closes without being stopped moves the endpoints on, so the next connection goes to the
/// next gateway. Thread-safe.
/// </summary>
internal sealed class GatewayHub : IAsyncDisposable
{
    public const string Path = "hubs/messaging";

    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly GatewayEndpoints _endpoints;
    private readonly ActorMessagingClientOptions _options;
    private readonly Action<HubConnection>? _configure;
    private readonly Action<Exception?>? _lost;
    private readonly ILogger _logger;
    private volatile Connected? _current;
    private bool _disposed;

    /// <param name="endpoints">The gateways; shared with the client.</param>
    /// <param name="options">Credential, protocol and connect timeout.</param>
    /// <param name="configure">Registers client methods (<c>On</c>) on each new connection.</param>
    /// <param name="lost">
    /// Called once for each connection that was lost: closed without being stopped, or given up because the gateway did
    /// not answer within a try timeout (it may still be closing then). A processor reconnects from here.
    /// </param>
    public GatewayHub(GatewayEndpoints endpoints, ActorMessagingClientOptions options, Action<HubConnection>? configure = null, Action<Exception?>? lost = null)
    {
        _lost = lost;
        _endpoints = endpoints;
        _options = options;
        _configure = configure;
        _logger = options.Logger;
    }

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => _current is { IsLost: false, Connection.State: HubConnectionState.Connected };

    /// <summary>The connection, connected: at once when it is, else after one connection attempt (shared by concurrent callers).</summary>
    public async ValueTask<HubConnection> GetAsync(CancellationToken cancellationToken) =>
        (await GetConnectedAsync(cancellationToken, cancellationToken).ConfigureAwait(false)).Connection;

    /// <summary>Invokes a hub method on the connected connection; failures become <see cref="ActorMessagingException"/>s.</summary>
    public Task<T> InvokeAsync<T>(string method, object?[] args, CancellationToken cancellationToken) =>
        InvokeAsync<T>(method, args, cancellationToken, cancellationToken);

    /// <summary>Invokes a hub method with <paramref name="retry"/>: each try under its try timeout, transient failures retried.</summary>
    public Task<T> InvokeAsync<T>(string method, object?[] args, RetryPolicy retry, CancellationToken cancellationToken) =>
        retry.ExecuteAsync(token => InvokeAsync<T>(method, args, token, cancellationToken), cancellationToken, operation: method);

    /// <summary>
    /// One try of a hub method. When <paramref name="tryToken"/> ends while <paramref name="callerToken"/> has not, the
    /// gateway did not answer within the try timeout over an open connection: it may be frozen or cut off, which
    /// SignalR notices only after its server timeout. The connection is then given up and the next try goes to the next
    /// gateway, as an HTTP call that times out does.
    /// </summary>
    /// <param name="method">The hub method.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="tryToken">Ends the try: the caller's token linked with the try timeout.</param>
    /// <param name="callerToken">The caller's own token: when it ended, nothing is wrong with the gateway.</param>
    public async Task<T> InvokeAsync<T>(string method, object?[] args, CancellationToken tryToken, CancellationToken callerToken)
    {
        var current = await GetConnectedAsync(tryToken, callerToken).ConfigureAwait(false);
        try
        {
            return await current.Connection.InvokeCoreAsync<T>(method, args, tryToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (tryToken.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            ClientLog.GaveUpConnection(_logger, current.Endpoint, method);
            GiveUp(current);
            throw;
        }
        catch (Exception exception)
        {
            var error = ClientErrors.FromHub(exception, method, tryToken);
            if (exception is not Microsoft.AspNetCore.SignalR.HubException && error is ActorMessagingException { Code: ErrorCode.Unavailable })
            {
                // The connection went (a typed hub error comes over a working one): the next one goes elsewhere.
                _endpoints.ReportFailure(current.Endpoint);
            }

            throw error;
        }
    }

    /// <summary>Closes the connection (handing back what the gateway leased to it) without disposing.</summary>
    public async Task StopAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_current is { } current)
            {
                current.Stopped = true;
                await current.Connection.StopAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_current is { } current)
            {
                current.Stopped = true;
                await current.Connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// The open connection, or a new one to the current gateway. A connection attempt that <paramref name="tryToken"/>
    /// ends while <paramref name="callerToken"/> has not found a gateway that accepts connections but does not answer
    /// (frozen or cut off: its kernel still completes the TCP handshake): the endpoints move on, so the next try
    /// connects to the next gateway instead of waiting on the same one again.
    /// </summary>
    private async ValueTask<Connected> GetConnectedAsync(CancellationToken tryToken, CancellationToken callerToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_current is { IsLost: false, Connection.State: HubConnectionState.Connected } open)
        {
            return open;
        }

        await _connecting.WaitAsync(tryToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _current;
            if (current is { IsLost: false, Connection.State: HubConnectionState.Connected })
            {
                return current;
            }

            var endpoint = _endpoints.Current;
            if (current is null || current.IsLost || current.Endpoint != endpoint)
            {
                // Lost, or the gateway to use changed: a new connection replaces the old one. A lost one is disposed
                // in the background: closing a connection to a frozen gateway can take until its timeouts.
                if (current is { IsLost: true })
                {
                    DisposeInBackground(current);
                }
                else if (current is not null)
                {
                    await current.Connection.DisposeAsync().ConfigureAwait(false);
                }

                _current = current = Build(endpoint);
            }

            if (current.Connection.State == HubConnectionState.Disconnected)
            {
                ClientLog.Connecting(_logger, endpoint);
                current.Stopped = false;
                using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(tryToken, timeout.Token);
                try
                {
                    await current.Connection.StartAsync(linked.Token).ConfigureAwait(false);
                    ClientLog.Connected(_logger, endpoint);
                }
                catch (Exception exception) when (tryToken.IsCancellationRequested && !callerToken.IsCancellationRequested && exception is not ObjectDisposedException)
                {
                    ClientLog.ConnectTimedOut(_logger, endpoint);
                    _endpoints.ReportFailure(endpoint);
                    if (exception is OperationCanceledException)
                    {
                        throw;
                    }

                    throw new ActorMessagingException(ErrorCode.Timeout, $"Connecting to {new Uri(endpoint, Path)} did not complete within the try timeout.", exception);
                }
                catch (Exception exception) when (exception is not ObjectDisposedException)
                {
                    var error = ClientErrors.FromConnect(exception, new Uri(endpoint, Path), tryToken);
                    if (error is ActorMessagingException failure && GatewayEndpoints.IsGatewayFailure(failure))
                    {
                        _endpoints.ReportFailure(endpoint);
                    }

                    throw error;
                }
            }

            return current.Connection.State == HubConnectionState.Connected
                ? current
                : throw new ActorMessagingException(ErrorCode.Unavailable, $"The connection to {new Uri(endpoint, Path)} was lost while it was opened.");
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// Gives a connection up: the endpoints move on, the next call opens a connection to the next gateway at once, the
    /// owner hears it was lost, and the connection is closed in the background (calls still on it fail as unavailable
    /// and are retried elsewhere).
    /// </summary>
    private void GiveUp(Connected connection)
    {
        _endpoints.ReportFailure(connection.Endpoint);
        if (connection.TryMarkLost())
        {
            _lost?.Invoke(new TimeoutException($"The gateway {connection.Endpoint} did not answer within the try timeout; connecting to the next one."));
        }

        DisposeInBackground(connection);
    }

    private static void DisposeInBackground(Connected connection) => _ = Task.Run(async () =>
    {
        try
        {
            await connection.Connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Closing a connection to an unresponsive gateway may fail; it has been replaced either way.
        }
    });

    private Connected Build(Uri endpoint)
    {
        var options = _options;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(endpoint, Path), HttpTransportType.WebSockets, o =>
            {
                // WebSockets only: no negotiate round trip on every (re)connect.
                o.SkipNegotiation = true;

                // Closing waits this long for the gateway's close frame; a frozen gateway never sends it.
                o.CloseTimeout = CloseTimeout;
                if (options.ApiKey is { } key)
                {
                    o.Headers["X-Api-Key"] = key;
                }

                if (options.AccessTokenProvider is { } provider)
                {
                    o.AccessTokenProvider = async () => await provider(CancellationToken.None).ConfigureAwait(false);
                }
            });
        var connected = new Connected(endpoint, (options.HubProtocol == ActorMessagingHubProtocol.MessagePack
                ? builder.AddMessagePackProtocol(o => o.SerializerOptions = ActorMessagingMessagePack.SerializerOptions)
                : builder.AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull))
            .Build());
        connected.Connection.HandshakeTimeout = options.ConnectTimeout;

        // The gateway pings every 5 s (its hub's KeepAliveInterval); three missed pings mean it is frozen or cut off, which
        // SignalR's default of 30 s would take twice as long to notice.
        connected.Connection.ServerTimeout = ServerTimeout;

        connected.Connection.Closed += exception =>
        {
            if (!connected.Stopped)
            {
                ClientLog.ConnectionLost(_logger, endpoint, exception);
                // Moved on before the owner hears of it, so a processor that reconnects already goes elsewhere.
                _endpoints.ReportFailure(endpoint);
                if (connected.TryMarkLost())
                {
                    _lost?.Invoke(exception);
                }
            }

            return Task.CompletedTask;
        };
        _configure?.Invoke(connected.Connection);
        return connected;
    }

    /// <summary>A connection, the gateway it goes to, and whether it was closed on purpose (not a failure of the gateway).</summary>
    private sealed class Connected(Uri endpoint, HubConnection connection)
    {
        private volatile bool _stopped;
        private int _lost;

        public Uri Endpoint { get; } = endpoint;

        public HubConnection Connection { get; } = connection;

        /// <summary>Closed without being stopped, or given up: never used again.</summary>
        public bool IsLost => Volatile.Read(ref _lost) == 1;

        /// <summary>Marks the connection lost; true for the first caller only, so its owner hears of it once.</summary>
        public bool TryMarkLost() => Interlocked.Exchange(ref _lost, 1) == 0;

        public bool Stopped
        {
            get => _stopped;
            set => _stopped = value;
        }
    }
}
