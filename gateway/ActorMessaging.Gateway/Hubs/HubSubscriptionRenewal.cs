using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Keeps every hub consumer's registration and every live feed's alive: renews them all every
/// <see cref="HubSubscriptions.RenewalInterval"/>, at once when a silo left the cluster (the grains it hosted came back
/// elsewhere without them), and retries within seconds a renewal that failed. At shutdown it detaches them all, so a
/// gateway that stops cleanly leaves nothing behind; one that crashes leaves registrations that expire within 60 s.
/// </summary>
internal sealed partial class HubSubscriptionRenewal(
    HubSubscriptions subscriptions,
    SiloDepartures departures,
    TimeProvider time,
    ILogger<HubSubscriptionRenewal> logger) : BackgroundService
{
    /// <summary>
    /// How often the gateway looks for departed silos and retries failed renewals: after a silo is declared dead, its
    /// subscriptions deliver to this gateway's consumers again within this much.
    /// </summary>
    public static readonly TimeSpan LookInterval = TimeSpan.FromSeconds(2);

    // Detaching is a courtesy (registrations expire by themselves), so it must not hold a stopping gateway for the
    // host's whole shutdown timeout when the cluster is slow or gone.
    private static readonly TimeSpan DetachTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(LookInterval, time);
        var nextRenewal = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    // '|', not '||': the departures are looked at every tick, so the next look compares with a fresh view.
                    var everything = time.GetElapsedTime(nextRenewal) >= HubSubscriptions.RenewalInterval
                        | await departures.AnyLeftAsync(stoppingToken);
                    if (everything)
                    {
                        nextRenewal = time.GetTimestamp();
                    }

                    await subscriptions.RenewAllAsync(onlyFailed: !everything, stoppingToken);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing hub consumers failed; retrying at the next look")]
    private partial void LogRenewalFailed(Exception exception);
}
