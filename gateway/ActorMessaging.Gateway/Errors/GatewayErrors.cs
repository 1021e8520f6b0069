using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using Orleans.Storage;

namespace ActorMessaging.Gateway.Errors;

/// <summary>
/// Classifies what a gateway call can throw into the error catalog: the grains' own
/// <see cref="BrokerException"/>, storage failures (<see cref="ErrorCode.StorageUnavailable"/>), the cluster
/// being out of reach (<see cref="ErrorCode.Unavailable"/>), calls that did not answer in time
/// (<see cref="ErrorCode.Timeout"/>) and bad HTTP input. Orleans wraps what a grain or its storage threw, so the chain
/// of inner exceptions is searched, outermost first. Storage and cluster failures are answered with a fixed text:
/// what the storage layer said (connection strings, SQL, grain ids) goes to the log, never to the caller.
/// </summary>
internal static class GatewayErrors
{
    /// <summary>How many exceptions deep <see cref="Classify"/> looks for a known one.</summary>
    private const int MaxDepth = 8;

    // How Orleans' persistent state bridge begins the message of the OrleansException it wraps a storage failure in.
    private const string StorageBridgePrefix = "Error from storage provider";

    // Storage failures that crossed a process boundary arrive as Orleans' fallback exception, naming their type only.
    private static readonly string[] StorageTypeNames = ["Npgsql", "Sqlite", "DbException", "InconsistentStateException"];

    /// <summary>The error to report for <paramref name="exception"/>, or null when it is unexpected (a bug: log it, answer Internal).</summary>
    public static BrokerException? Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new BrokerException(ErrorCode.BatchTooLarge, "The request body is larger than this endpoint accepts.", exception),
        BadHttpRequestException bad => new BrokerException(ErrorCode.InvalidArgument, $"The request could not be read: {bad.Message}", exception),
        JsonException json => new BrokerException(ErrorCode.InvalidArgument, Describe(json), json),
        _ => ClassifyChain(exception),
    };

    private static BrokerException? ClassifyChain(Exception exception)
    {
        var current = exception;
        for (var depth = 0; current is not null && depth < MaxDepth; depth++)
        {
            if (ClassifyOne(current) is { } known)
            {
                return known;
            }

            current = current is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : current.InnerException;
        }

        return null;
    }

    private static BrokerException? ClassifyOne(Exception exception)
    {
        if (exception is BrokerException known)
        {
            return known;
        }

        if (IsStorageFailure(exception))
        {
            return new BrokerException(ErrorCode.StorageUnavailable, "The message store failed or could not be reached; retry.", exception);
        }

        if (exception is SiloUnavailableException or ClientNotAvailableException or GatewayTooBusyException
            or OrleansMessageRejectionException or ConnectionFailedException or OrleansLifecycleCanceledException)
        {
            return new BrokerException(ErrorCode.Unavailable, "The messaging cluster is unreachable or the entity is moving; retry.", exception);
        }

        if (exception is TimeoutException or OperationCanceledException)
        {
            return new BrokerException(ErrorCode.Timeout, "The messaging cluster did not answer in time; the operation may still complete. Retry.", exception);
        }

        return null;
    }

    /// <summary>
    /// True for failures of the grain storage: an ADO.NET error (PostgreSQL, SQLite), an ETag conflict, and Orleans'
    /// wrapper of what a storage provider threw (whatever the inner exception, which may not have survived the wire).
    /// </summary>
    private static bool IsStorageFailure(Exception exception) => exception switch
    {
        DbException or InconsistentStateException => true,
        UnavailableExceptionFallbackException fallback => NamesStorage(fallback.ExceptionType),
        WrappedException wrapped => NamesStorage(wrapped.OriginalExceptionType),
        OrleansException orleans => orleans.Message.StartsWith(StorageBridgePrefix, StringComparison.Ordinal),
        _ => false,
    };

    private static bool NamesStorage(string? typeName) =>
        typeName is not null && StorageTypeNames.Any(name => typeName.Contains(name, StringComparison.Ordinal));

    /// <summary>A message for a request body that does not deserialize, naming the field, without .NET type names.</summary>
    public static string Describe(JsonException exception)
    {
        var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        if (exception.InnerException is JsonException reader)
        {
            return $"The request body is not valid JSON: {reader.Message}";
        }

        if (exception.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"The request body has an unknown field '{path}'.";
        }

        if (exception.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return $"The request body has a duplicate field '{path}'.";
        }

        if (path == "$")
        {
            return "The request body must be a JSON object.";
        }

        return exception.LineNumber is null
            ? $"The request body is not valid: {exception.Message}"
            : $"The request body field '{path}' has a value of the wrong type or out of range.";
    }
}
