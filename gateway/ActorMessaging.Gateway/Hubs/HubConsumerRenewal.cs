using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Renews every hub consumer's registration and every live feed's on a timer, and at shutdown detaches them
/// all, so a gateway that stops cleanly leaves nothing behind. One that crashes leaves registrations that
/// expire within 60 s.
/// </summary>
internal sealed partial class HubConsumerRenewal(HubSubscriptions subscriptions, ILogger<HubConsumerRenewal> logger) : BackgroundService
{
    // Detaching is a courtesy (registrations expire by themselves), so it must not hold a stopping gateway for the
    // host's whole shutdown timeout when the cluster is slow or gone.
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(10);

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
        try
        {
            await subscriptions.CloseAllAsync().WaitAsync(DetachTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogDetachTimedOut(DetachTimeout.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Detaching hub consumers at shutdown took over {Seconds} s; stopping anyway (their registrations expire within 60 s)")]
    private partial void LogDetachTimedOut(double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing hub consumers failed; retrying at the next interval")]
    private partial void LogRenewalFailed(Exception exception);
}
