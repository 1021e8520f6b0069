using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Errors;

/// <summary>Turns every failure of an HTTP API endpoint into a problem details answer with a catalog code.</summary>
internal sealed partial class ApiErrorFilter(ILogger<ApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: there is nobody to answer.
            throw;
        }
        catch (Exception exception)
        {
            var request = context.HttpContext.Request;
            var error = GatewayErrors.Classify(exception);
            if (error is null)
            {
                LogUnexpected(exception, request.Method, request.Path);
                error = new BrokerException(ErrorCode.Internal, "An unexpected error occurred; it was logged.", exception);
            }
            else if (error.IsTransient)
            {
                LogTransient(exception, request.Method, request.Path, error.Code);
            }

            return ApiProblems.Result(context.HttpContext, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP API {Method} {Path} failed unexpectedly")]
    private partial void LogUnexpected(Exception exception, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP API {Method} {Path} failed with {Code}; the client may retry")]
    private partial void LogTransient(Exception exception, string method, string path, ErrorCode code);
}
