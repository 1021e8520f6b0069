using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Wraps a hub protocol so that a typed hub error reaches the client as it was raised. SignalR puts its own
/// text before every <see cref="HubException"/> message (<c>"An unexpected error occurred invoking 'Publish' on
/// the server. HubException: 2001 TopicNotFound: …"</c>); this removes that prefix from completions whose
/// error carries a <see cref="HubErrors"/> code, so the client's error message starts with the code. Any other
/// error passes unchanged.
/// </summary>
internal sealed partial class HubErrorProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    /// <summary>Reads the next message; a JSON invocation nested too deeply becomes a binding failure (<see cref="HubJsonDepthGuard"/>).</summary>
    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        (inner.TransferFormat == TransferFormat.Text && HubJsonDepthGuard.TryRefuse(ref input, out message))
        || inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(Typed(message), output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(Typed(message));

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    /// <summary>The completion with the typed error alone, or the message unchanged.</summary>
    internal static HubMessage Typed(HubMessage message)
    {
        if (message is CompletionMessage { Error: { } error } completion && TypedError().Match(error) is { Success: true } match)
        {
            return CompletionMessage.WithError(completion.InvocationId!, match.Groups["typed"].Value);
        }

        // Arguments that did not bind (an unknown or mis-cased field, a wrong type): the caller's error, typed as on HTTP.
        if (message is CompletionMessage { Error: { } unbound } failed && BindingError().Match(unbound) is { Success: true } binding)
        {
            return CompletionMessage.WithError(failed.InvocationId!, HubErrors.Format(ErrorCode.InvalidArgument,
                $"The arguments of '{binding.Groups["method"].Value}' do not match its parameters: a field is unknown, not in exact camelCase or of the wrong type, or the call is nested deeper than {HubJsonDepthGuard.MaxDepth} levels."));
        }

        return message;
    }

    [GeneratedRegex(@"^Failed to invoke '(?<method>[^']*)' due to an error on the server\.", RegexOptions.CultureInvariant)]
    private static partial Regex BindingError();

    [GeneratedRegex(@"^An unexpected error occurred invoking '[^']*' on the server\. HubException: (?<typed>\d{4} \w+: .*)\z", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TypedError();
}
