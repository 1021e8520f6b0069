using System.Collections.Concurrent;
using ActorMessaging.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Hub deliveries cross processes: subscription grains run on two silos, the consumer is connected to a
/// standalone gateway process, and the publisher to another. (IHubContext inside a grain would reach only
/// connections of the grain's own process; the gateway's delivery observer is what makes this work.)
/// </summary>
[Collection(PostgresFixture.CollectionName)]
public sealed class CrossGatewayTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const int MessagesPerTopic = 20;

    [PostgresFact(Timeout = 180_000)]
    public async Task Deliveries_ReachTheConsumersGateway_WhicheverSiloHostsTheSubscription()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cluster = await ChaosCluster.StartAsync(postgres, silos: 2, gateways: 2);
        output.WriteLine($"cluster started in {clock.Elapsed.TotalSeconds:0.0} s");
        try
        {
            var subscriptions = await CreateSubscriptionsOnBothSilosAsync(cluster);
            await using var publisher = await ConnectAsync(cluster.Gateways[0]);
            await using var consumer = await ConnectAsync(cluster.Gateways[1]);
            var received = Record(consumer);
            foreach (var (topic, subscription, _) in subscriptions)
            {
                Assert.Equal(subscription, await consumer.InvokeAsync<string>("Subscribe", topic, subscription, null));
            }

            var liveTopic = subscriptions[0].Topic;
            var live = await consumer.InvokeAsync<string>("Subscribe", liveTopic, null, null);
            var liveSilo = await cluster.HostingSiloPortAsync(cluster.Client.Subscription(liveTopic, live));
            output.WriteLine($"live subscription {live} on silo port {liveSilo}");

            foreach (var (topic, _, _) in subscriptions)
            {
                await publisher.InvokeAsync<List<PublishOutcome>>("Publish", topic, Enumerable.Range(0, MessagesPerTopic).Select(i => new { data = new { i } }).ToList());
            }

            await Eventually.TrueAsync(
                () => subscriptions.All(s => received.Count(m => m.Topic == s.Topic && m.Subscription == s.Subscription) == MessagesPerTopic)
                    && received.Count(m => m.Subscription == live) == MessagesPerTopic,
                "every subscription's messages to reach the consumer on gateway B",
                TimeSpan.FromSeconds(30));

            foreach (var (topic, subscription, _) in subscriptions)
            {
                var ackIds = received.Where(m => m.Topic == topic && m.Subscription == subscription).Select(m => m.AckId).ToList();
                Assert.Empty(await consumer.InvokeAsync<List<AckFailure>>("Ack", topic, subscription, ackIds));
                Assert.Equal(0, (await cluster.Client.Subscription(topic, subscription).GetStatsAsync()).Backlog);
            }

            Assert.All(received, m => Assert.Equal(1, m.DeliveryAttempt));
        }
        catch (Exception exception) when (exception is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{exception.Message}{Environment.NewLine}{cluster.Diagnostics()}", exception);
        }
    }

    [PostgresFact(Timeout = 180_000)]
    public async Task GatewayCrash_ItsUnackedMessagesGoToAConsumerOnTheOtherGateway()
    {
        await using var cluster = await ChaosCluster.StartAsync(postgres, silos: 2, gateways: 2);
        var topic = $"crash-{Guid.NewGuid():N}"[..18];
        await cluster.Client.Topic(topic).CreateAsync(new TopicSettings());
        await cluster.Client.Subscription(topic, "work").CreateAsync(new SubscriptionSettings { AckDeadline = TimeSpan.FromSeconds(2), MinBackoff = TimeSpan.Zero });
        await using var survivor = await ConnectAsync(cluster.Gateways[0]);
        var survived = Record(survivor);
        var doomed = await ConnectAsync(cluster.Gateways[1]);
        var lost = Record(doomed);
        await doomed.InvokeAsync<string>("Subscribe", topic, "work", null);
        await survivor.InvokeAsync<List<PublishOutcome>>("Publish", topic, Enumerable.Range(0, MessagesPerTopic).Select(i => new { data = new { i } }).ToList());
        await Eventually.TrueAsync(() => lost.Count == MessagesPerTopic, "the consumer on gateway B to hold every message");

        cluster.Gateways[1].Kill();
        await survivor.InvokeAsync<string>("Subscribe", topic, "work", null);

        // Nothing acked them: after their 2 s leases they are redelivered to the consumer on gateway A.
        await Eventually.TrueAsync(() => survived.Select(m => m.Sequence).Distinct().Count() == MessagesPerTopic, "the crashed gateway's messages to reach gateway A", TimeSpan.FromSeconds(30));
        Assert.All(survived, m => Assert.True(m.DeliveryAttempt >= 2));
        await doomed.DisposeAsync();
    }

    /// <summary>Creates topic+subscription pairs until subscription grains are active on both silos (placement is the cluster's choice).</summary>
    private async Task<List<(string Topic, string Subscription, int? SiloPort)>> CreateSubscriptionsOnBothSilosAsync(ChaosCluster cluster)
    {
        var created = new List<(string Topic, string Subscription, int? SiloPort)>();
        for (var i = 0; i < 40 && (created.Count < 4 || created.Select(c => c.SiloPort).Distinct().Count() < 2); i++)
        {
            var topic = $"cross-{i}-{Guid.NewGuid():N}"[..20];
            await cluster.Client.Topic(topic).CreateAsync(new TopicSettings());
            var grain = cluster.Client.Subscription(topic, "sub");
            await grain.CreateAsync(new SubscriptionSettings());
            created.Add((topic, "sub", await cluster.HostingSiloPortAsync(grain)));
        }

        foreach (var (topic, subscription, port) in created)
        {
            output.WriteLine($"{topic}/{subscription} on silo port {port}");
        }

        Assert.Equal(cluster.Silos.Select(s => (int?)s.Settings.SiloPort).Order(), created.Select(c => c.SiloPort).Distinct().Order());
        return created;
    }

    private static async Task<HubConnection> ConnectAsync(GatewayProcess gateway)
    {
        var connection = new HubConnectionBuilder().WithUrl(gateway.HubUri).Build();
        await connection.StartAsync();
        return connection;
    }

    private static ConcurrentQueue<PushedMessage> Record(HubConnection connection)
    {
        var received = new ConcurrentQueue<PushedMessage>();
        connection.On<List<PushedMessage>>("Deliver", messages =>
        {
            foreach (var message in messages)
            {
                received.Enqueue(message);
            }
        });
        return received;
    }

    private sealed record PushedMessage(string AckId, long Sequence, int DeliveryAttempt, string Topic, string Subscription);

    private sealed record PublishOutcome(long Sequence, bool Duplicate);

    private sealed record AckFailure(string AckId, int Code, string Error, string Reason);
}
