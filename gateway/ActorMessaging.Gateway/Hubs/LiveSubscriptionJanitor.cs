using Microsoft.Extensions.Logging;

namespace ActorMessaging.Gateway.Hubs;

/// <summary>
/// Deletes live subscriptions left behind by a gateway that crashed (a clean stop deletes its own). Nothing in
/// the grains expires an unused subscription, so every gateway looks at the topics its own connections
/// subscribe to live: a live subscription (a generated <c>live-</c> name and exactly the live settings) with no
/// consumer attached at two looks at least <see cref="ConfirmAfter"/> apart has no gateway renewing it, and is deleted.
/// </summary>
/// <remarks>
/// A live gateway renews every attachment every 20 s and registrations live 60 s, so a subscription it owns
/// shows no consumer only for moments (between create and attach, or after its grain moved until the next
/// renewal), never at two looks 90 s apart. Should it happen anyway (its gateway cut off from the cluster for
/// minutes), the owner re-creates the subscription at its next renewal. Orphans on topics that no connection
/// subscribes to live any more stay until deleted through the API.
/// </remarks>
internal sealed partial class LiveSubscriptionJanitor(IGrainFactory grains, HubConsumerRegistry registry, ILogger<LiveSubscriptionJanitor> logger) : IDisposable
{
    /// <summary>How often one topic is looked at.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long a subscription must have had no consumer, seen twice, before it is deleted.</summary>
    public static readonly TimeSpan ConfirmAfter = TimeSpan.FromSeconds(90);

    private readonly SemaphoreSlim _sweeping = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> _lastSweep = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, string Subscription), DateTimeOffset> _idleSince = [];

    /// <summary>Sweeps the topics this gateway's connections subscribe to live whose last sweep is older than <see cref="SweepInterval"/>.</summary>
    public async Task SweepDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var topics = registry.All.Where(c => c.IsLive).Select(c => c.Topic).ToHashSet(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool due;
            lock (_lastSweep)
            {
                due = !_lastSweep.TryGetValue(topic, out var last) || now - last >= SweepInterval;
            }

            if (due)
            {
                await SweepAsync(topic, now);
            }
        }

        Forget(topics, now);
    }

    /// <summary>Looks at the live subscriptions of <paramref name="topic"/> that are not this gateway's; deletes those idle since an earlier look at least <see cref="ConfirmAfter"/> ago.</summary>
    public async Task SweepAsync(string topic, DateTimeOffset now)
    {
        await _sweeping.WaitAsync();
        try
        {
            lock (_lastSweep)
            {
                _lastSweep[topic] = now;
            }

            var own = registry.All.Where(c => c.Topic == topic).Select(c => c.Subscription).ToHashSet(StringComparer.Ordinal);
            var names = await grains.GetGrain<ITopicGrain>(topic).ListSubscriptionsAsync();
            foreach (var name in names.Where(n => HubSubscriptions.IsLiveName(n) && !own.Contains(n)))
            {
                await LookAsync(topic, name, now);
            }
        }
        catch (Exception exception)
        {
            LogSweepFailed(exception, topic);
        }
        finally
        {
            _sweeping.Release();
        }
    }

    private async Task LookAsync(string topic, string subscription, DateTimeOffset now)
    {
        var key = (topic, subscription);
        var grain = grains.GetGrain<ISubscriptionGrain>(SubscriptionKey.Format(topic, subscription));
        try
        {
            var info = await grain.GetAsync();

            // Pull consumers do not show as attached: a durable subscription that merely looks live is left alone.
            if (info.Stats.ConsumersAttached > 0 || info.Settings != HubSubscriptions.LiveSettings)
            {
                _idleSince.Remove(key);
            }
            else if (!_idleSince.TryGetValue(key, out var since))
            {
                _idleSince[key] = now;
            }
            else if (now - since >= ConfirmAfter)
            {
                await grain.DeleteAsync();
                _idleSince.Remove(key);
                LogDeletedOrphan(topic, subscription, now - since);
            }
        }
        catch (ActorMessagingException exception) when (exception.Code is ErrorCode.SubscriptionNotFound or ErrorCode.TopicNotFound)
        {
            _idleSince.Remove(key);
        }
    }

    /// <summary>Drops what is known about topics this gateway no longer subscribes to live.</summary>
    private void Forget(HashSet<string> topics, DateTimeOffset now)
    {
        lock (_lastSweep)
        {
            foreach (var topic in _lastSweep.Keys.Where(t => !topics.Contains(t) && now - _lastSweep[t] >= SweepInterval * 2).ToList())
            {
                _lastSweep.Remove(topic);
            }
        }

        if (_sweeping.Wait(0))
        {
            try
            {
                foreach (var key in _idleSince.Keys.Where(k => !topics.Contains(k.Topic)).ToList())
                {
                    _idleSince.Remove(key);
                }
            }
            finally
            {
                _sweeping.Release();
            }
        }
    }

    public void Dispose() => _sweeping.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted live subscription {Topic}/{Subscription}: no consumer attached for at least {Idle}, its gateway is gone")]
    private partial void LogDeletedOrphan(string topic, string subscription, TimeSpan idle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for orphaned live subscriptions of topic {Topic} failed; retrying at its next sweep")]
    private partial void LogSweepFailed(Exception exception, string topic);
}
