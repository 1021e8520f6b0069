using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace ActorMessaging.Hosting;

/// <summary>
/// Ends the process at once when Orleans reports a fatal error, above all "I have been told I am dead" (a silo that
/// was frozen or partitioned and is declared dead by the others). Orleans' own handler sleeps 2 s to let loggers flush
/// first, and in those 2 s the dead silo still runs grain calls that another silo now owns; here the reason goes to
/// stderr synchronously and the process fails fast: no shutdown code (grain deactivation, state writes) runs.
/// </summary>
internal sealed partial class ImmediateFatalErrorHandler(ILogger<ImmediateFatalErrorHandler> logger) : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        var message = $"Fatal error from {sender?.GetType().Name ?? "Orleans"}, the silo stops now: {context}";
        LogFatal(logger, exception, message);
        Console.Error.WriteLine($"{DateTime.UtcNow:O} {message}{(exception is null ? "" : Environment.NewLine + exception)}");
        Console.Error.Flush();
        Environment.FailFast(message, exception);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private static partial void LogFatal(ILogger logger, Exception? exception, string message);
}
