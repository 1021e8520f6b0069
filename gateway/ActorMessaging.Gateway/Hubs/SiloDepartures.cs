using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Tells when a silo left the cluster (declared dead or shut down) since the last look. The grains it hosted, among them
/// subscription grains with this gateway's consumers attached and topics this gateway follows live, come back elsewhere
/// knowing none of them; <see cref="HubSubscriptionRenewal"/> attaches everything again at once instead of at its next
/// 20 s renewal. Works the same from a silo's co-hosted gateway and from a standalone one (an Orleans client): it asks
/// the management grain, which reads the membership table.
/// </summary>
internal sealed partial class SiloDepartures(IGrainFactory grains, ILogger<SiloDepartures> logger)
{
    // The call goes to whichever silo serves it; a frozen one must not hold up the next look.
    private static readonly TimeSpan LookTimeout = TimeSpan.FromSeconds(2);

    private HashSet<SiloAddress>? _active;

    /// <summary>True when a silo that was active at the last call is not active now; false on the first call or when the cluster cannot answer.</summary>
    public async Task<bool> AnyLeftAsync(CancellationToken cancellationToken)
    {
        HashSet<SiloAddress> active;
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(true, cancellationToken).WaitAsync(LookTimeout, cancellationToken);
            active = [.. hosts.Keys];
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A silo is frozen or gone and membership has not settled yet: the next look tells.
            LogLookFailed(exception);
            return false;
        }

        var previous = _active;
        _active = active;
        if (previous is null || previous.IsSubsetOf(active))
        {
            return false;
        }

        // Rare (a silo left), so the string is built whether or not it is logged.
        var left = string.Join(", ", previous.Except(active));
        LogSiloLeft(left);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silos} left the cluster; attaching every hub consumer and live feed again now")]
    private partial void LogSiloLeft(string silos);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading cluster membership failed; trying again at the next look")]
    private partial void LogLookFailed(Exception exception);
}
