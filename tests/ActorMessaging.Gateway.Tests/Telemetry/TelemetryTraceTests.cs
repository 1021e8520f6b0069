using System.Diagnostics;
using ActorMessaging.Contracts;
using ActorMessaging.Telemetry;

namespace ActorMessaging.Gateway.Tests;

/// <summary>One trace from a publish through the topic grain, the subscription grain and the gateway to the consumer's ack.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTraceTests(HubFixture fixture) : IDisposable
{
    private readonly TelemetryCapture _telemetry = new();

    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task HttpPublish_HubDelivery_AndAck_AreOneTrace()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        await using var consumer = await HubTestClient.ConnectAsync(Host.Address);
        await consumer.SubscribeAsync(topic, subscription);

        await Host.Http.PublishAsync(topic, HttpApi.JsonMessage(new { n = 1 }));
        await consumer.WaitForAsync(1);
        var message = consumer.Received[0];
        await consumer.AckAsync(topic, subscription, [message.AckId]);

        // The message carries the context of the topic grain's publish call, which the consumer's own spans would join.
        Assert.True(ActivityContext.TryParse(message.Attributes![MessageTraceContext.TraceParent], null, out var carried));
        var spans = await SpansOfTraceAsync(carried.TraceId, ["deliver", "send", "ack"]);

        var request = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore");
        var publish = Assert.Single(spans, s => s.DisplayName == $"publish {topic}");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(request.SpanId, publish.ParentSpanId);
        var grainCall = Assert.Single(spans, s => s.SpanId == carried.SpanId);
        Assert.Equal("Microsoft.Orleans.Application", grainCall.Source.Name);
        Assert.Contains(publish, Ancestors(grainCall, spans));

        foreach (var name in new[] { "deliver", "send", "ack" })
        {
            var span = Assert.Single(spans, s => s.DisplayName == name);
            Assert.Equal(carried.SpanId, span.ParentSpanId);
            Assert.Equal(topic, span.GetTagItem(ActorMessagingTelemetry.TopicTag));
            Assert.Equal(subscription, span.GetTagItem(ActorMessagingTelemetry.SubscriptionTag));
        }
    }

    [Fact]
    public async Task HubPublish_WithTraceparent_KeepsThePublishersContext()
    {
        var topic = await Host.CreateTopicAsync();
        var subscription = await Host.CreateSubscriptionAsync(topic);
        var publisher = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        await using var client = await HubTestClient.ConnectAsync(Host.Address);
        await client.SubscribeAsync(topic, subscription);

        await client.PublishAsync(topic, new
        {
            data = new { n = 1 },
            attributes = new Dictionary<string, string> { [MessageTraceContext.TraceParent] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
        });
        await client.WaitForAsync(1);

        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", client.Received[0].Attributes![MessageTraceContext.TraceParent]);
        var deliver = Assert.Single(await SpansOfTraceAsync(publisher.TraceId, ["deliver", "send"]), s => s.DisplayName == "deliver");
        Assert.Equal(publisher.SpanId, deliver.ParentSpanId);
        Assert.Contains(_telemetry.Spans, s => s.DisplayName == $"publish {topic}");
    }

    private async Task<List<Activity>> SpansOfTraceAsync(ActivityTraceId trace, string[] required)
    {
        List<Activity> spans = [];
        await Eventually.TrueAsync(() =>
        {
            spans = [.. _telemetry.Spans.Where(s => s.TraceId == trace)];
            return required.All(name => spans.Any(s => s.DisplayName == name));
        }, $"spans {string.Join(", ", required)} in trace {trace}");
        return spans;
    }

    private static IEnumerable<Activity> Ancestors(Activity span, List<Activity> spans)
    {
        for (var parent = spans.Find(s => s.SpanId == span.ParentSpanId); parent is not null; parent = spans.Find(s => s.SpanId == parent.ParentSpanId))
        {
            yield return parent;
        }
    }

    public void Dispose() => _telemetry.Dispose();
}
