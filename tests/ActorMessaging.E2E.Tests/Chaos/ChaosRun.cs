using ActorMessaging.Testing;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// One chaos scenario end to end: 3 silo processes and 2 standalone gateway processes on PostgreSQL, SDK publishers on
/// every gateway and processors on the standalone ones; load until it flows, the fault, load for a while longer, then
/// publishers stop, backlogs drain and <see cref="ChaosChecker"/> judges what storage holds and what clients saw.
/// </summary>
internal static class ChaosRun
{
    private const int Topics = 4;
    private const int PublishersPerTopic = 2;
    private static readonly TimeSpan LoadAfterFault = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(90);

    public static async Task<ChaosResult> RunAsync(PostgresFixture postgres, ChaosScenario scenario, Action<string> log)
    {
        await using var cluster = await ChaosCluster.StartAsync(postgres, silos: 3, gateways: 2);
        try
        {
            var ledger = new ChaosLedger();
            var standalone = cluster.Gateways.Select(g => g.Address).ToList();
            var everyGateway = standalone.Concat(cluster.Silos.Select(s => s.GatewayAddress)).ToList();
            await using var load = await ChaosLoad.StartAsync(cluster, ledger, Topics, PublishersPerTopic, everyGateway, standalone,
                new TopicSettings { RetainAckedMessages = scenario.RetainAckedMessages });
            if (scenario.LiveSubscribers)
            {
                await load.StartLiveSubscribersAsync(standalone);
            }

            await Eventually.TrueAsync(() => ledger.Acked.Count >= 200 && ledger.Deliveries.Select(d => (d.Topic, d.Subscription)).Distinct().Count() == 6,
                "the load to flow to every subscription", TimeSpan.FromSeconds(90));
            log($"{ledger.Now.TotalSeconds:F1}s load flowing ({ledger.Acked.Count} acked); injecting: {scenario.Name}");

            var faultAt = ledger.Now;
            await scenario.InjectAsync(cluster, load, ledger);
            var until = ledger.Now + LoadAfterFault;
            log($"{ledger.Now.TotalSeconds:F1}s fault injected; load goes on for {LoadAfterFault.TotalSeconds} s");
            await Eventually.TrueAsync(() => ledger.Now >= until, "the load to run after the fault", LoadAfterFault + TimeSpan.FromSeconds(10));

            await load.StopPublishingAsync(TimeSpan.FromSeconds(60));
            log($"{ledger.Now.TotalSeconds:F1}s publishers stopped ({ledger.Acked.Count} acked); draining");
            var drained = true;
            try
            {
                await ChaosChecker.DrainAsync(cluster, load, ledger, DrainTimeout);
            }
            catch (TimeoutException)
            {
                drained = false;
            }

            var result = await ChaosChecker.CheckAsync(scenario.Name, cluster, load, ledger, faultAt, scenario.Bound, drained);
            log($"{ledger.Now.TotalSeconds:F1}s checked: {result.Row}");
            foreach (var violation in result.Violations)
            {
                log($"  violation: {violation}");
            }

            log(result.LongestStallTrace);

            if (!result.Passed)
            {
                log(string.Join(Environment.NewLine, ledger.ClientErrors.Take(40)));
                log(cluster.Diagnostics(40));
            }

            return result;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new InvalidOperationException($"{exception.Message}{Environment.NewLine}{cluster.Diagnostics(60)}", exception);
        }
    }
}
