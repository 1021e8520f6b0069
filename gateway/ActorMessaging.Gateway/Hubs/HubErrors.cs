using ActorMessaging.Gateway.Errors;
using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// How the hub reports failures: every error is a <see cref="HubException"/> whose message is
/// <c>"{code} {name}: {message}"</c>, the numeric <see cref="ErrorCode"/>, its name and the text, e.g.
/// <c>"2001 TopicNotFound: Topic 'orders' not found."</c>. Clients parse it with
/// <c>/^(\d{4}) (\w+): (.*)$/s</c>: the code is what to switch on (it never changes meaning), the name is for
/// people, and codes in the 5xxx range (and 4003) are transient, so the same call may succeed later.
/// The stock .NET and JavaScript clients receive exactly this text (<see cref="HubErrorProtocol"/> removes the
/// prefix SignalR would otherwise put in front); errors that do not match the pattern are SignalR's own, such as
/// arguments that cannot be bound.
/// </summary>
internal static class HubErrors
{
    public static HubException Create(ErrorCode code, string message) => new(Format(code, message));

    public static string Format(ErrorCode code, string message) => $"{(int)code} {code}: {message}";

    /// <summary>
    /// The typed error for anything a hub call threw, classified as the HTTP API does (<see cref="GatewayErrors"/>);
    /// <paramref name="code"/> is <see cref="ErrorCode.Internal"/> for the unexpected.
    /// </summary>
    public static HubException From(Exception exception, out ErrorCode code)
    {
        if (GatewayErrors.Classify(exception) is { } known)
        {
            code = known.Code;
            return Create(known.Code, known.Message);
        }

        code = ErrorCode.Internal;
        return Create(code, "An unexpected error occurred.");
    }

    public static BrokerException InvalidArgument(string message) => new(ErrorCode.InvalidArgument, message);
}
