using ActorMessaging.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every ActorMessaging process (silo, standalone gateway) starts with, as in .NET Aspire's ServiceDefaults:
/// OpenTelemetry metrics with a Prometheus scrape endpoint, tracing and OTLP export (traces, metrics, logs) when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and a liveness check.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Prometheus scrape path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Liveness: the process answers. Readiness (<c>/health</c>, every check, the cluster's included) is mapped by the gateway.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Readiness path, served by the gateway's health checks (listed here so probes and docs have one name).</summary>
    public const string HealthPath = "/health";

    /// <summary>The standard OpenTelemetry variable; when set, traces, metrics and logs are exported there.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string LiveTag = "live";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter([.. TelemetrySources.Meters])
                .AddAspNetCoreInstrumentation()
                .AddPrometheusExporter());

        // Traces and logs leave the process only through OTLP. Without it, recording spans (and stamping trace context
        // into every message) would cost on every publish and show nowhere.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource([.. TelemetrySources.Traces]);
                if (options.OrleansRuntimeTracing)
                {
                    tracing.AddSource(TelemetrySources.OrleansRuntime);
                }

                tracing.AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperational(context.Request.Path));
            });
            builder.Logging.AddOpenTelemetry(logging => (logging.IncludeFormattedMessage, logging.IncludeScopes) = (true, true));
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Maps <c>/alive</c> and <c>/metrics</c>.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments(AlivePath) || path.StartsWithSegments(HealthPath);
}
