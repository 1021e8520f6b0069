using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorMessaging.Client;

/// <summary>
/// Options of an <see cref="ActorMessagingClient"/> and an <see cref="ActorMessagingAdministrationClient"/>: the
/// credential, the retry policy and time-outs. Values are checked when set; the client copies them when it is
/// created, so later changes do not affect it.
/// </summary>
public sealed class ActorMessagingClientOptions
{
    /// <summary>The configuration section <c>AddActorMessagingClient</c> callers usually bind: <c>ActorMessaging:Client</c>.</summary>
    public const string SectionName = "ActorMessaging:Client";

    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(30);
    private ActorMessagingRetryOptions _retry = new();

    /// <summary>
    /// An API key, sent as the <c>X-Api-Key</c> header on HTTP requests and on the hub's WebSocket. Default none.
    /// Give at most one of <see cref="ApiKey"/> and <see cref="AccessTokenProvider"/>; with neither, calls are
    /// anonymous (a gateway in Development, or one configured with <c>Auth:Mode</c> <c>None</c>).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Returns a bearer token (JWT) for each HTTP request (<c>Authorization: Bearer</c>) and each hub connection
    /// (the SignalR access token). Called again for every new connection, so it may return a refreshed token. Default none.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>The retry policy for transient failures and the reconnect backoff. Default: see <see cref="ActorMessagingRetryOptions"/>.</summary>
    public ActorMessagingRetryOptions Retry
    {
        get => _retry;
        set => _retry = value ?? throw new ArgumentNullException(nameof(Retry));
    }

    /// <summary>How long opening a hub connection (handshake included) may take. Default 30 s; 1 s to 5 minutes.</summary>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        set => _connectTimeout = ActorMessagingRetryOptions.InRange(value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), nameof(ConnectTimeout));
    }

    /// <summary>The hub protocol. Default <see cref="ActorMessagingHubProtocol.MessagePack"/>.</summary>
    public ActorMessagingHubProtocol HubProtocol { get; set; } = ActorMessagingHubProtocol.MessagePack;

    /// <summary>
    /// Where the client logs, under the category <c>ActorMessaging.Client</c>: each retry with its cause (Information), a
    /// call that gave up (Warning), each gateway it leaves and each connection it opens, loses or gives up. Default none;
    /// <c>AddActorMessagingClient</c> uses the application's logging.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The logger of the client, or one that discards.</summary>
    internal ILogger Logger => LoggerFactory?.CreateLogger(ClientLog.Category) ?? NullLogger.Instance;

    /// <summary>The clock for retry and lease-renewal delays. Default <see cref="TimeProvider.System"/>; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A copy that the client owns, checked as a whole.</summary>
    internal ActorMessagingClientOptions Validated()
    {
        if (ApiKey is not null && AccessTokenProvider is not null)
        {
            throw new ArgumentException("Give either ApiKey or AccessTokenProvider, not both.", nameof(ApiKey));
        }

        if (ApiKey is { Length: 0 })
        {
            throw new ArgumentException("ApiKey must not be empty; leave it null for anonymous calls.", nameof(ApiKey));
        }

        var copy = (ActorMessagingClientOptions)MemberwiseClone();
        copy._retry = _retry.Clone();
        copy.TimeProvider ??= TimeProvider.System;
        return copy;
    }
}
