using ActorMessaging.Telemetry;

namespace ActorMessaging.ServiceDefaults;

/// <summary>The activity sources and meters an ActorMessaging process exports.</summary>
public static class TelemetrySources
{
    public const string OrleansApplication = "Microsoft.Orleans.Application";
    public const string OrleansRuntime = "Microsoft.Orleans.Runtime";

    /// <summary>Traced always: our spans, application grain calls, and SignalR hub method invocations.</summary>
    public static IReadOnlyList<string> Traces { get; } = [ActorMessagingTelemetry.Name, OrleansApplication, "Microsoft.AspNetCore.SignalR.Server"];

    /// <summary>Our meter, Orleans' (about 45 <c>orleans_*</c> series), SignalR connections and the .NET runtime.</summary>
    public static IReadOnlyList<string> Meters { get; } = [ActorMessagingTelemetry.Name, "Microsoft.Orleans", "Microsoft.AspNetCore.Http.Connections", "System.Runtime"];
}
