using System.Net;
using ActorMessaging.Contracts;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Gateway.Tests;

/// <summary>Each <c>ActorMessaging</c> instrument moves when its event happens (in-memory exporter, collected on demand).</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryMetricsTests(HubFixture fixture) : IDisposable
{
    private readonly TelemetryCapture _telemetry = new();

    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task PublishDeliverAckNackDeadLetter_EachMoveTheirCounters()
    {
        var topic = HttpApi.UniqueName("metrics");
        await Host.Http.CreateTopicAsync(topic);
        await Host.Http.CreateSubscriptionAsync(topic, "sub", new SubscriptionConfiguration { StartAt = "earliest", MaxDeliveryAttempts = 2, MinBackoffSeconds = 0 });
        var ofTopic = (ActorMessagingTelemetry.TopicTag, topic);
        var ofSubscription = (ActorMessagingTelemetry.SubscriptionTag, "sub");
        var logWrites = _telemetry.HistogramCount("actormessaging.storage.write.duration", ("kind", "log"));
        var stateWrites = _telemetry.HistogramCount("actormessaging.storage.write.duration", ("kind", "state"));
        var batches = _telemetry.HistogramCount("actormessaging.storage.write.batch_size");

        await Host.Http.PublishAsync(topic, HttpApi.JsonMessage(new { n = 1 }, "a"), HttpApi.JsonMessage(new { n = 22 }, "b"));
        await Host.Http.PublishAsync(topic, HttpApi.JsonMessage(new { n = 1 }, "a"));
        var first = await Host.Http.PullExactlyAsync(topic, "sub", 2);
        await Settle(topic, "ack", first.Single(m => m.Id == "a"));
        await Settle(topic, "nack", first.Single(m => m.Id == "b"));
        var again = await Host.Http.PullExactlyAsync(topic, "sub", 1);
        await Settle(topic, "nack", again[0]);

        Assert.Equal(2, _telemetry.Sum("actormessaging.messages.published", ofTopic));
        Assert.Equal("{\"n\":1}".Length + "{\"n\":22}".Length, _telemetry.Sum("actormessaging.publish.payload", ofTopic));
        Assert.Equal(2, _telemetry.HistogramCount("actormessaging.publish.duration", ofTopic));
        Assert.Equal(3, _telemetry.Sum("actormessaging.deliveries", ofTopic, ofSubscription));
        Assert.Equal(1, _telemetry.Sum("actormessaging.redeliveries", ofTopic, ofSubscription));
        Assert.Equal(1, _telemetry.Sum("actormessaging.acks", ofTopic, ofSubscription));
        Assert.Equal(2, _telemetry.Sum("actormessaging.nacks", ofTopic, ofSubscription));
        await Eventually.TrueAsync(() => _telemetry.Sum("actormessaging.dead_letters", ofTopic, ofSubscription) == 1, "the dead letter to be counted once durable");
        Assert.True(_telemetry.HistogramCount("actormessaging.storage.write.duration", ("kind", "log")) >= logWrites + 1);
        Assert.True(_telemetry.HistogramCount("actormessaging.storage.write.duration", ("kind", "state")) > stateWrites);
        Assert.True(_telemetry.HistogramCount("actormessaging.storage.write.batch_size") >= batches + 1);
    }

    [Fact]
    public async Task SubscriptionGauges_ReportBacklogOldestAgeAndConsumers()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        var of = new[] { (ActorMessagingTelemetry.TopicTag, topic), (ActorMessagingTelemetry.SubscriptionTag, subscription) };
        await Host.Http.PublishAsync(topic, HttpApi.JsonMessage(new { n = 1 }), HttpApi.JsonMessage(new { n = 2 }));

        await Eventually.TrueAsync(() => _telemetry.GaugeLong("actormessaging.subscription.backlog", of) == 2, "a backlog of 2");
        Assert.True(_telemetry.GaugeDouble("actormessaging.subscription.oldest_unacked_age", of) > 0);

        await using var consumer = await HubTestClient.ConnectAsync(Host.Address);
        consumer.AutoAck(topic, subscription);
        await consumer.SubscribeAsync(topic, subscription);
        await Eventually.TrueAsync(() => _telemetry.GaugeLong("actormessaging.subscription.consumers", of) == 1, "one consumer attached");
        await Eventually.TrueAsync(() => _telemetry.GaugeLong("actormessaging.subscription.backlog", of) == 0, "an empty backlog once acked");
        Assert.Equal(0, _telemetry.GaugeDouble("actormessaging.subscription.oldest_unacked_age", of));
    }

    [Fact]
    public async Task GatewayConnections_CountOpenHubConnections()
    {
        var before = _telemetry.Sum("actormessaging.gateway.connections");

        var client = await HubTestClient.ConnectAsync(Host.Address);
        await Eventually.TrueAsync(() => _telemetry.Sum("actormessaging.gateway.connections") == before + 1, "the connection to be counted");
        await client.DisposeAsync();

        await Eventually.TrueAsync(() => _telemetry.Sum("actormessaging.gateway.connections") == before, "the connection to be uncounted");
    }

    [Fact]
    public async Task LiveDeliveries_AreCountedPerTopic()
    {
        var topic = await Host.CreateTopicAsync();
        var ofTopic = (ActorMessagingTelemetry.TopicTag, topic);
        await using var first = await HubTestClient.ConnectAsync(Host.Address);
        await using var second = await HubTestClient.ConnectAsync(Host.Address);
        await first.SubscribeAsync(topic, null);
        await second.SubscribeAsync(topic, null);

        await first.PublishNumbersAsync(topic, 3);
        await first.WaitForAsync(3);
        await second.WaitForAsync(3);

        await Eventually.TrueAsync(() => _telemetry.Sum("actormessaging.gateway.live_deliveries", ofTopic) == 6, "3 messages to each of 2 live subscriptions");
        Assert.Equal(0, _telemetry.Sum("actormessaging.deliveries", ofTopic));
    }

    [Fact]
    public async Task Endpoints_ServePrometheusMetrics_AndLiveness()
    {
        var topic = await Host.CreateTopicAsync();
        await Host.Http.PublishAsync(topic, HttpApi.JsonMessage(new { n = 1 }));

        var scrape = await Eventually.ValueAsync(
            () => Host.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => text.Contains($"topic=\"{topic}\"", StringComparison.Ordinal),
            "the publish in the Prometheus scrape");

        Assert.Contains("actormessaging_messages_published_total{", scrape, StringComparison.Ordinal);
        Assert.Contains("actormessaging_publish_duration_seconds_bucket{", scrape, StringComparison.Ordinal);
        Assert.Contains("orleans_", scrape, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Host.Http.GetAsync(new Uri("/alive", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.Http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode);
    }

    private async Task Settle(string topic, string action, ReceivedMessage message)
    {
        var body = action == "nack" ? (object)new NackRequest { AckIds = [message.AckId], DelaySeconds = 0 } : new AckRequest { AckIds = [message.AckId] };
        using var response = await Host.Http.PostJsonAsync(HttpApi.Subscription(topic, "sub", action), body);
        Assert.Empty((await response.ReadAsync<SettleResponse>()).Failures);
    }

    public void Dispose() => _telemetry.Dispose();
}
