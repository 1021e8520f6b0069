using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Client;

/// <summary>The one place where what the gateway and the network report becomes an <see cref="ActorMessagingException"/>.</summary>
internal static partial class ClientErrors
{
    /// <summary>
    /// A hub call failed. Typed hub errors read <c>"2001 TopicNotFound: Topic 'x' not found."</c>; a call that failed
    /// because the connection went away is <see cref="ErrorCode.Unavailable"/> (transient).
    /// </summary>
    public static Exception FromHub(Exception exception, string operation, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return exception;
        }

        if (exception is HubException hub)
        {
            return TypedHubError().Match(hub.Message) is { Success: true } match
                && int.TryParse(match.Groups["code"].ValueSpan, System.Globalization.CultureInfo.InvariantCulture, out var code)
                ? new ActorMessagingException((ErrorCode)code, match.Groups["detail"].Value, hub)
                : new ActorMessagingException(ErrorCode.Internal, $"{operation} failed: {hub.Message}", hub);
        }

        return exception is ActorMessagingException
            ? exception
            : new ActorMessagingException(ErrorCode.Unavailable, $"{operation} failed: the connection to the gateway was lost ({exception.Message}).", exception);
    }

    /// <summary>Opening a hub connection failed: refused or dropped connections are transient, rejected credentials are not.</summary>
    public static Exception FromConnect(Exception exception, Uri hub, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return exception;
        }

        var status = (exception as HttpRequestException)?.StatusCode ?? StatusInMessage(exception);
        var code = status switch
        {
            HttpStatusCode.Unauthorized => ErrorCode.Unauthenticated,
            HttpStatusCode.Forbidden => ErrorCode.Forbidden,
            HttpStatusCode.TooManyRequests => ErrorCode.RateLimited,
            HttpStatusCode.NotFound => ErrorCode.InvalidArgument,
            _ => ErrorCode.Unavailable,
        };
        var why = code == ErrorCode.InvalidArgument ? $"{hub} is not an ActorMessaging hub (404)" : exception.Message;
        return new ActorMessagingException(code, $"Could not connect to {hub}: {why}", exception);
    }

    /// <summary>An HTTP request could not be sent or got no answer: the gateway is unreachable (transient).</summary>
    public static ActorMessagingException FromTransport(Exception exception, string operation) =>
        new(ErrorCode.Unavailable, $"{operation} failed: the gateway could not be reached ({exception.Message}).", exception);

    /// <summary>An HTTP error: the problem's <c>code</c> when the body is <c>application/problem+json</c>, else the status's meaning.</summary>
    public static async Task<ActorMessagingException> FromResponseAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        ProblemResponse? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is { } media && media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync(WireJson.Options.GetTypeInfo<ProblemResponse>(), cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a problem document after all: fall back to the status.
            }
        }

        var code = problem is { Code: > 0 } ? (ErrorCode)problem.Code : FromStatus(response.StatusCode);
        var detail = problem?.Detail ?? $"{operation} failed with HTTP {(int)response.StatusCode} {response.ReasonPhrase}.";
        return new ActorMessagingException(code, detail) { RetryAfter = RetryAfter(response) };
    }

    private static ErrorCode FromStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => ErrorCode.InvalidArgument,
        HttpStatusCode.Unauthorized => ErrorCode.Unauthenticated,
        HttpStatusCode.Forbidden => ErrorCode.Forbidden,
        HttpStatusCode.RequestEntityTooLarge => ErrorCode.BatchTooLarge,
        HttpStatusCode.TooManyRequests => ErrorCode.RateLimited,
        HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable => ErrorCode.Unavailable,
        HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => ErrorCode.Timeout,
        _ => ErrorCode.Internal,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static HttpStatusCode? StatusInMessage(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { StatusCode: { } status })
            {
                return status;
            }

            if (current is WebSocketException && StatusCodeText().Match(current.Message) is { Success: true } match)
            {
                return (HttpStatusCode)int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^(?<code>\d{4}) (?<name>\w+): (?<detail>.*)\z", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TypedHubError();

    [GeneratedRegex(@"status code '(\d{3})'", RegexOptions.CultureInvariant)]
    private static partial Regex StatusCodeText();
}
