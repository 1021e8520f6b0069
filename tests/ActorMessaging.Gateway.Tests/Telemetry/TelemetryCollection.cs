namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Telemetry tests run alone: their listeners are process-wide (other tests' publishes would get trace context and
/// their counts would blur the deltas asserted here). They share one host.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "Telemetry";
}
