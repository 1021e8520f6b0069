using Orleans;

namespace ActorMessaging.Hosting;

/// <summary>
/// Bounds the grain calls of a silo's co-hosted gateway to <see cref="Configuration.ActorMessagingClusterOptions.GatewayResponseTimeout"/>,
/// as a standalone gateway's calls are bounded. A call to a frozen silo waits until that silo is declared dead (about
/// 10 s) or the silo's own response timeout (15 s); the SDK gives a try 10 s and then gives up the connection, so a
/// publish through a healthy gateway would move its client to another gateway, possibly the frozen one. Answering a
/// transient error within 5 s keeps the client on its working connection, where the retry lands once the grain moved.
/// </summary>
/// <remarks>
/// Only calls made outside any grain are bounded: those of the gateway's requests and hub connections. Grain-to-grain
/// calls keep the silo's timeout, and methods that wait on purpose keep the timeout they declare. A call that is cut
/// short goes on in the background; the client's retry carries the same message ids, so a publish that landed anyway
/// is stored once.
/// </remarks>
internal sealed class GatewayCallTimeoutFilter(TimeSpan timeout) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context) =>
        context.SourceContext is null && context.Request.GetDefaultResponseTimeout() is null
            ? context.Invoke().WaitAsync(timeout)
            : context.Invoke();
}
