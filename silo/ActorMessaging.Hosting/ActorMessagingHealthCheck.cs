using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorMessaging.Hosting;

/// <summary>Healthy when a grain call that reads storage succeeds: the silo is up and its store answers.</summary>
internal sealed class ActorMessagingHealthCheck(IGrainFactory grains) : IHealthCheck
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
            return HealthCheckResult.Unhealthy("The silo could not read its store.", exception);
        }
    }
}
