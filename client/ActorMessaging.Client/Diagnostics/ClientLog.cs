using Microsoft.Extensions.Logging;

namespace ActorMessaging.Client;

/// <summary>
/// What the client logs (category <c>ActorMessaging.Client</c>): every retry with its cause and wait, every gateway it
/// leaves and why, every connection it opens, loses or gives up. A call that stalls through a failover can be
/// followed try by try.
/// </summary>
internal static partial class ClientLog
{
    public const string Category = "ActorMessaging.Client";

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Try {Attempt} of {Operation} failed after {TryMilliseconds} ms: {Code}: {Reason}; retrying in {DelayMilliseconds} ms")]
    public static partial void Retrying(ILogger logger, string operation, int attempt, long tryMilliseconds, ErrorCode code, string reason, long delayMilliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Operation} failed after {Attempts} tries in {ElapsedMilliseconds} ms: {Code}: {Reason}")]
    public static partial void GaveUp(ILogger logger, string operation, int attempts, long elapsedMilliseconds, ErrorCode code, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Gateway {Failed} failed a call; the next calls go to {Next}")]
    public static partial void MovedOn(ILogger logger, Uri failed, Uri next);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Connecting to {Endpoint}")]
    public static partial void Connecting(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Connected to {Endpoint}")]
    public static partial void Connected(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Connecting to {Endpoint} did not complete within the try timeout; the next try connects to another gateway")]
    public static partial void ConnectTimedOut(ILogger logger, Uri endpoint);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "The connection to {Endpoint} was lost")]
    public static partial void ConnectionLost(ILogger logger, Uri endpoint, Exception? exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Endpoint} did not answer {Method} within the try timeout; its connection is given up")]
    public static partial void GaveUpConnection(ILogger logger, Uri endpoint, string method);
}
