using System.Diagnostics.Metrics;
using ActorMessaging.Telemetry;
using Microsoft.AspNetCore.SignalR;

namespace ActorMessaging.Gateway.Telemetry;

/// <summary>Counts the hub connections open on this gateway (<c>actormessaging.gateway.connections</c>).</summary>
internal sealed class ConnectionTelemetryFilter : IHubFilter
{
    private static readonly UpDownCounter<long> Connections = ActorMessagingTelemetry.Meter.CreateUpDownCounter<long>(
        "actormessaging.gateway.connections", "{connection}", "Hub connections open on this gateway process.");

    // Only a connection that was counted is uncounted: one refused in OnConnectedAsync (auth, limits) never was.
    private static readonly object CountedKey = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        context.Context.Items[CountedKey] = true;
        Connections.Add(1);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Context.Items.Remove(CountedKey))
        {
            Connections.Add(-1);
        }

        await next(context, exception);
    }
}
