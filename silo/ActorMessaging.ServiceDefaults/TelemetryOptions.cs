namespace ActorMessaging.ServiceDefaults;

/// <summary>Telemetry switches (<c>ActorMessaging:Telemetry</c>). Exporters follow the standard <c>OTEL_*</c> variables.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "ActorMessaging:Telemetry";

    /// <summary>
    /// Traces the Orleans runtime's own calls (membership, directory, timers): very noisy, for diagnosing the cluster
    /// itself. Default false; grain calls made by the application (<c>Microsoft.Orleans.Application</c>) are always traced.
    /// </summary>
    public bool OrleansRuntimeTracing { get; set; }
}
