using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace ActorMessaging.Gateway.Errors;

/// <summary>
/// Classifies what a gateway call can throw into the error catalog: the grains' own
/// <see cref="ActorMessagingException"/>, the cluster being out of reach, and bad HTTP input.
/// </summary>
internal static class GatewayErrors
{
    /// <summary>The error to report for <paramref name="exception"/>, or null when it is unexpected (a bug: log it, answer Internal).</summary>
    public static ActorMessagingException? Classify(Exception exception) => exception switch
    {
        ActorMessagingException known => known,
        TimeoutException or SiloUnavailableException or ClientNotAvailableException or GatewayTooBusyException
            or OrleansMessageRejectionException or ConnectionFailedException =>
            new ActorMessagingException(ErrorCode.Unavailable, "The messaging cluster did not answer in time or is unreachable; retry.", exception),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            new ActorMessagingException(ErrorCode.BatchTooLarge, "The request body is larger than this endpoint accepts.", exception),
        BadHttpRequestException bad => new ActorMessagingException(ErrorCode.InvalidArgument, $"The request could not be read: {bad.Message}", exception),
        JsonException json => new ActorMessagingException(ErrorCode.InvalidArgument, Describe(json), json),
        _ => null,
    };

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
