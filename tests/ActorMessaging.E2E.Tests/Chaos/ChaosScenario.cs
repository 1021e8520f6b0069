namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// A fault to inject into a running <see cref="ChaosCluster"/> under load, with the bound its stalls must keep. The
/// fault picks its victim from where the grains are at that moment (the silo hosting a busy topic or subscription).
/// </summary>
internal sealed record ChaosScenario(
    string Key,
    string Name,
    TimeSpan Bound,
    Func<ChaosCluster, ChaosLoad, ChaosLedger, Task> InjectAsync,
    bool RetainAckedMessages = true,
    bool LiveSubscribers = false)
{
    /// <summary>The bound for a killed silo (docs/operations.md: failure detection).</summary>
    public static readonly TimeSpan KillBound = TimeSpan.FromSeconds(10);

    /// <summary>The bound for a frozen or partitioned silo.</summary>
    public static readonly TimeSpan FreezeBound = TimeSpan.FromSeconds(20);

    /// <summary>How long a frozen silo stays stopped: longer than failure detection, so it is declared dead meanwhile.</summary>
    public static readonly TimeSpan FreezeFor = TimeSpan.FromSeconds(30);

    /// <summary>(1) SIGKILL the silo hosting a busy topic.</summary>
    public static ChaosScenario KillTopicHost { get; } = new("kill-topic", "SIGKILL the silo hosting a busy topic", KillBound, async (cluster, load, _) =>
        (await VictimAsync(cluster, cluster.Client.Topic(load.Topics[0]))).Kill());

    /// <summary>(2) SIGKILL the silo hosting an exactly-once and an at-least-once subscription with push consumers.</summary>
    public static ChaosScenario KillSubscriptionHost { get; } = new("kill-subscription", "SIGKILL the silo hosting subscriptions with push consumers", KillBound, async (cluster, load, _) =>
        (await VictimAsync(cluster, cluster.Client.Subscription(load.Topics[0], ChaosLoad.ExactlyOnce))).Kill());

    /// <summary>(3) SIGSTOP the silo hosting a busy topic for longer than failure detection, then SIGCONT: the partition case.</summary>
    public static ChaosScenario FreezeTopicHost { get; } = new("freeze", "SIGSTOP the silo hosting a busy topic for 30 s, then SIGCONT", FreezeBound, async (cluster, load, ledger) =>
    {
        var victim = await VictimAsync(cluster, cluster.Client.Topic(load.Topics[0]));
        victim.Freeze();
        var until = ledger.Now + FreezeFor;
        await Testing.Eventually.TrueAsync(() => ledger.Now >= until, "the freeze to last", FreezeFor + TimeSpan.FromSeconds(10));
        victim.Resume();
    });

    /// <summary>(4) Live subscribers on both standalone gateways, one slow, while the silo hosting their topic is killed and the topic moves.</summary>
    public static ChaosScenario LiveAcrossTopicMove { get; } = new("live", "live subscribers on both gateways, one slow, across a topic move (SIGKILL its silo)", KillBound, async (cluster, load, _) =>
        (await VictimAsync(cluster, cluster.Client.Topic(load.Topics[0]))).Kill(), LiveSubscribers: true);

    /// <summary>(5) Kill and restart random silos one after the other under load, on topics that delete acked messages.</summary>
    public static ChaosScenario RollingRestarts { get; } = new("rolling", "rolling SIGKILL and restart of 3 random silos, retainAckedMessages=false", KillBound, async (cluster, _, _) =>
    {
        for (var round = 0; round < 3; round++)
        {
            var victim = cluster.Silos[Random.Shared.Next(cluster.Silos.Count)];
            await victim.RestartAsync();
            await cluster.WaitForActiveSilosAsync(cluster.Silos.Count);
        }
    }, RetainAckedMessages: false);

    public static IReadOnlyList<ChaosScenario> All { get; } = [KillTopicHost, KillSubscriptionHost, FreezeTopicHost, LiveAcrossTopicMove, RollingRestarts];

    public override string ToString() => Name;

    private static async Task<ClusterSilo> VictimAsync(ChaosCluster cluster, IAddressable grain) =>
        await cluster.HostingSiloAsync(grain) ?? throw new InvalidOperationException($"{grain} is not active anywhere: nothing to fault.");
}
