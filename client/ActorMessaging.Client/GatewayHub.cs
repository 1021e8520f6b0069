using ActorMessaging.Contracts.MessagePack;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Client;

/// <summary>
/// One SignalR connection to the gateway's hub (<c>/hubs/messaging</c>, WebSockets only) with the client's
/// credential. <see cref="GetAsync"/> connects on first use and again after the connection was lost, so callers
/// simply retry (the <see cref="RetryPolicy"/> retries the <see cref="ErrorCode.Unavailable"/> a lost connection
/// gives). Thread-safe.
/// </summary>
internal sealed class GatewayHub : IAsyncDisposable
{
    public const string Path = "hubs/messaging";

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly TimeSpan _connectTimeout;
    private bool _disposed;

    public GatewayHub(Uri endpoint, ActorMessagingClientOptions options)
    {
        Uri = new Uri(endpoint, Path);
        _connectTimeout = options.ConnectTimeout;
        var builder = new HubConnectionBuilder()
            .WithUrl(Uri, HttpTransportType.WebSockets, o =>
            {
                // WebSockets only: no negotiate round trip on every (re)connect.
                o.SkipNegotiation = true;
                if (options.ApiKey is { } key)
                {
                    o.Headers["X-Api-Key"] = key;
                }

                if (options.AccessTokenProvider is { } provider)
                {
                    o.AccessTokenProvider = async () => await provider(CancellationToken.None).ConfigureAwait(false);
                }
            });
        Connection = (options.HubProtocol == ActorMessagingHubProtocol.MessagePack
                ? builder.AddMessagePackProtocol(o => o.SerializerOptions = ActorMessagingMessagePack.SerializerOptions)
                : builder.AddJsonProtocol(o => o.PayloadSerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull))
            .Build();
        Connection.HandshakeTimeout = options.ConnectTimeout;
    }

    public Uri Uri { get; }

    /// <summary>The connection; register client methods (<c>On</c>) and <c>Closed</c> handlers before the first <see cref="GetAsync"/>.</summary>
    public HubConnection Connection { get; }

    /// <summary>The connection, connected: at once when it is, else after one connection attempt (shared by concurrent callers).</summary>
    public async ValueTask<HubConnection> GetAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Connection.State == HubConnectionState.Connected)
        {
            return Connection;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (Connection.State == HubConnectionState.Disconnected)
            {
                using var timeout = new CancellationTokenSource(_connectTimeout);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                try
                {
                    await Connection.StartAsync(linked.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not ObjectDisposedException)
                {
                    throw ClientErrors.FromConnect(exception, Uri, cancellationToken);
                }
            }

            return Connection.State == HubConnectionState.Connected
                ? Connection
                : throw new ActorMessagingException(ErrorCode.Unavailable, $"The connection to {Uri} was lost while it was opened.");
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Invokes a hub method on the connected connection; failures become <see cref="ActorMessagingException"/>s.</summary>
    public async Task<T> InvokeAsync<T>(string method, object?[] args, CancellationToken cancellationToken)
    {
        var connection = await GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await connection.InvokeCoreAsync<T>(method, args, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            throw ClientErrors.FromHub(exception, method, cancellationToken);
        }
    }

    /// <summary>Closes the connection (handing back what the gateway leased to it) without disposing.</summary>
    public async Task StopAsync()
    {
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            await Connection.StopAsync().ConfigureAwait(false);
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
            await Connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _connecting.Release();
        }
    }
}
