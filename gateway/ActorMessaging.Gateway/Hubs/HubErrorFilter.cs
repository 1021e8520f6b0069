using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>The one place where hub failures become typed <see cref="HubException"/>s (format: <see cref="HubErrors"/>).</summary>
internal sealed partial class HubErrorFilter(ILogger<HubErrorFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception exception)
        {
            var error = HubErrors.From(exception, out var code);
            if (code == ErrorCode.Internal)
            {
                LogUnexpected(exception, invocationContext.HubMethodName, invocationContext.Context.ConnectionId);
            }
            else if (code is ErrorCode.StorageUnavailable or ErrorCode.Unavailable or ErrorCode.Timeout)
            {
                // What storage or the cluster said stays in the log; the caller gets the catalog's text.
                LogTransient(exception, invocationContext.HubMethodName, invocationContext.Context.ConnectionId, (int)code, code);
            }
            else
            {
                LogFailed(invocationContext.HubMethodName, invocationContext.Context.ConnectionId, (int)code, code, exception.Message);
            }

            throw error;
        }
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (exception is not HubException)
        {
            // A refusal is a HubException (RefusalLog has it); anything else is a bug to see.
            LogUnexpectedLifetime(exception, nameof(OnConnectedAsync), context.Context.ConnectionId);
            throw;
        }
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        catch (Exception unexpected)
        {
            LogUnexpectedLifetime(unexpected, nameof(OnDisconnectedAsync), context.Context.ConnectionId);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub {Event} failed unexpectedly for connection {ConnectionId}")]
    private partial void LogUnexpectedLifetime(Exception exception, string @event, string connectionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub method {Method} failed unexpectedly for connection {ConnectionId}")]
    private partial void LogUnexpected(Exception exception, string method, string connectionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub method {Method} failed for connection {ConnectionId} with {Code} {Name}; the client may retry")]
    private partial void LogTransient(Exception exception, string method, string connectionId, int code, ErrorCode name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Hub method {Method} failed for connection {ConnectionId}: {Code} {Name}: {Message}")]
    private partial void LogFailed(string method, string connectionId, int code, ErrorCode name, string message);
}
