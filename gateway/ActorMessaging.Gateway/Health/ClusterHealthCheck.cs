using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMessaging.Gateway.Health;

/// <summary>
/// Healthy when a grain call that reads storage succeeds: the process (a silo with its co-hosted gateway, or a
/// standalone gateway) reaches the cluster and the cluster reaches its store.
/// </summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await grains.GetGrain<ITopicCatalogGrain>(0).ProbeStoreAsync().WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("The cluster or its store did not answer.", exception);
        }
    }
}
