using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Renews every hub consumer's registration on a timer (and lets the <see cref="LiveSubscriptionJanitor"/>
/// look for orphans), and at shutdown detaches them all and deletes the live subscriptions, so a gateway that
/// stops cleanly leaves nothing behind. One that crashes leaves registrations that expire within 60 s and
/// live subscriptions that other gateways' janitors delete.
/// </summary>
internal sealed partial class HubConsumerRenewal(HubSubscriptions subscriptions, LiveSubscriptionJanitor janitor, ILogger<HubConsumerRenewal> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HubSubscriptions.RenewalInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await subscriptions.RenewAllAsync(stoppingToken);
                    await janitor.SweepDueAsync(TimeProvider.System.GetUtcNow(), stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewalFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await subscriptions.CloseAllAsync().WaitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing hub consumers failed; retrying at the next interval")]
    private partial void LogRenewalFailed(Exception exception);
}
