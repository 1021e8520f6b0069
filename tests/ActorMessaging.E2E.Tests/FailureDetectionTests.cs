using System.Diagnostics;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Failure detection with the shipped <c>ActorMessaging:Cluster</c> defaults, on 3 silo processes and a standalone gateway
/// on PostgreSQL: how long the topics of a killed or frozen silo are unavailable, and that a frozen silo woken after it
/// was declared dead stops serving. docs/operations.md ("Failure detection") quotes what this test prints.
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class FailureDetectionTests(PostgresFixture postgres, ITestOutputHelper output)
{
    /// <summary>The bound docs/operations.md states for a killed silo.</summary>
    private static readonly TimeSpan KillBound = TimeSpan.FromSeconds(10);

    /// <summary>The bound docs/operations.md states for a frozen (or partitioned) silo.</summary>
    private static readonly TimeSpan FreezeBound = TimeSpan.FromSeconds(20);

    /// <summary>"At once": a woken silo that was declared dead learns it from the first gossip or table read.</summary>
    private static readonly TimeSpan WakeBound = TimeSpan.FromSeconds(10);

    [PostgresFact(Timeout = 300_000)]
    public async Task KilledSilo_ServesAgainWithin10s_FrozenSilo_Within20s_AndStopsServingWhenWoken()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ChaosCluster.StartAsync(postgres, silos: 3, gateways: 1);
        Log(clock, "3 silos and a gateway started");
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            // SIGKILL: silo 1 dies with a topic on it; silo 0's co-hosted gateway and the standalone gateway publish to it.
            var killed = cluster.Silos[1];
            var killedTopic = await TopicOnAsync(cluster, killed);
            var (killedViaSilo, killedViaGateway) = await FaultAsync(cluster, http, killedTopic, cluster.Silos[0], killed.Kill, KillBound + TimeSpan.FromSeconds(20));
            Log(clock, $"SIGKILL {killed.Name}: topic served again after {Seconds(killedViaSilo)} via silo 0, {Seconds(killedViaGateway)} via the standalone gateway");

            await killed.RestartAsync();
            await cluster.WaitForActiveSilosAsync(3);
            Log(clock, $"{killed.Name} restarted and active");

            // SIGSTOP: silo 2 freezes with a topic on it, keeping its sockets open; nothing tells the cluster but missed probes.
            var frozen = cluster.Silos[2];
            var frozenTopic = await TopicOnAsync(cluster, frozen);
            var (frozenViaSilo, frozenViaGateway) = await FaultAsync(cluster, http, frozenTopic, cluster.Silos[0], frozen.Freeze, FreezeBound + TimeSpan.FromSeconds(30));
            Log(clock, $"SIGSTOP {frozen.Name}: topic served again after {Seconds(frozenViaSilo)} via silo 0, {Seconds(frozenViaGateway)} via the standalone gateway");

            // SIGCONT: the woken silo finds itself declared dead and stops; until then its gateway may still answer.
            var (exitedAfter, lastServedAfter, served) = await WakeAsync(http, frozen, frozenTopic);
            Log(clock, $"SIGCONT {frozen.Name}: exited after {Seconds(exitedAfter)}; its own gateway published {served} times after waking, the last {Seconds(lastServedAfter)} after SIGCONT");
            output.WriteLine(frozen.Process.OutputTail(12));

            Assert.True(killedViaSilo <= KillBound, $"A killed silo's topic served again after {Seconds(killedViaSilo)} (silo path), bound {KillBound.TotalSeconds} s.");
            Assert.True(killedViaGateway <= KillBound, $"A killed silo's topic served again after {Seconds(killedViaGateway)} (gateway path), bound {KillBound.TotalSeconds} s.");
            Assert.True(frozenViaSilo <= FreezeBound, $"A frozen silo's topic served again after {Seconds(frozenViaSilo)} (silo path), bound {FreezeBound.TotalSeconds} s.");
            Assert.True(frozenViaGateway <= FreezeBound, $"A frozen silo's topic served again after {Seconds(frozenViaGateway)} (gateway path), bound {FreezeBound.TotalSeconds} s.");
            Assert.True(exitedAfter <= WakeBound, $"The woken silo was still running {WakeBound.TotalSeconds} s after SIGCONT.");

            // No false positive: the silos that were not faulted are still members, and still running.
            await cluster.WaitForActiveSilosAsync(2);
            Assert.All([cluster.Silos[0], killed], s => Assert.False(s.Process.HasExited, $"{s.Name} exited: declared dead without a fault.{Environment.NewLine}{s.Process.OutputTail(30)}"));
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{exception.Message}{Environment.NewLine}{cluster.Diagnostics(60)}", exception);
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics(60));
            throw;
        }
    }

    /// <summary>Injects <paramref name="fault"/> and measures, over two paths at once, when the topic serves again.</summary>
    private static async Task<(TimeSpan? ViaSilo, TimeSpan? ViaGateway)> FaultAsync(
        ChaosCluster cluster, HttpClient http, string topic, ClusterSilo via, Action fault, TimeSpan limit)
    {
        // Both paths publish before the fault: connections are open and the topic's address is cached, as under load.
        await ServingProbe.PublishAsync(http, via.GatewayAddress, topic, CancellationToken.None);
        await ServingProbe.PublishAsync(http, cluster.Gateways[0].Address, topic, CancellationToken.None);
        var since = Stopwatch.StartNew();
        fault();
        var viaSilo = ServingProbe.TimeToServeAsync(c => ServingProbe.PublishAsync(http, via.GatewayAddress, topic, c), since, limit);
        var viaGateway = ServingProbe.TimeToServeAsync(c => ServingProbe.PublishAsync(http, cluster.Gateways[0].Address, topic, c), since, limit);
        return (await viaSilo, await viaGateway);
    }

    /// <summary>Wakes a frozen silo and publishes through its own gateway until the process is gone.</summary>
    private static async Task<(TimeSpan? Exited, TimeSpan? LastServed, int Served)> WakeAsync(HttpClient http, ClusterSilo silo, string topic)
    {
        var since = Stopwatch.StartNew();
        silo.Resume();
        TimeSpan? lastServed = null;
        var served = 0;
        var exit = silo.Process.WaitForExitAsync(WakeBound + TimeSpan.FromSeconds(20));
        while (!exit.IsCompleted)
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await ServingProbe.PublishAsync(http, silo.GatewayAddress, topic, attempt.Token);
                lastServed = since.Elapsed;
                served++;
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                // Refused or unanswered: what a silo that stopped serving looks like.
            }

            await Task.WhenAny(exit, Task.Delay(ServingProbe.Interval));
        }

        return (await exit ? since.Elapsed : null, lastServed, served);
    }

    /// <summary>Creates topics until one is active on <paramref name="silo"/> (placement is random) and returns its name.</summary>
    private static async Task<string> TopicOnAsync(ChaosCluster cluster, ClusterSilo silo)
    {
        for (var i = 0; i < 60; i++)
        {
            var topic = $"fd-{i}-{Guid.NewGuid():N}"[..20];
            await cluster.Client.Topic(topic).CreateAsync(new TopicSettings());
            if ((await cluster.HostingSiloAsync(cluster.Client.Topic(topic)))?.Settings.SiloPort == silo.Settings.SiloPort)
            {
                return topic;
            }
        }

        throw new InvalidOperationException($"No topic of 60 was placed on {silo.Name}.");
    }

    private static string Seconds(TimeSpan? value) => value is { } v ? $"{v.TotalSeconds:0.0} s" : "never";

    private void Log(Stopwatch clock, string message) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {message}");
}
