using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMessaging.Gateway.Host;

/// <summary>Healthy when a grain call through the cluster client succeeds: this gateway can reach the silos and their store.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await grains.GetGrain<ITopicDirectoryGrain>(0).ListAsync(string.Empty, null, 1).WaitAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception)
        {
            return HealthCheckResult.Unhealthy("The gateway could not reach the silo cluster.", exception);
        }
    }
}
