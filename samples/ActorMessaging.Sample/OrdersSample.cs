using ActorMessaging.Client;
using ActorMessaging.Contracts;

namespace ActorMessaging.Sample;

/// <summary>Creates a topic and a subscription, processes orders with a processor, and publishes ten of them.</summary>
public static class OrdersSample
{
    public const string Topic = "sample.orders";
    public const string Subscription = "sample.billing";
    public const int Orders = 10;

    public static async Task RunAsync(Uri endpoint, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);

        // Administration: create the topic and a subscription (both idempotent).
        using var admin = new ActorMessagingAdministrationClient(endpoint);
        await admin.CreateOrUpdateTopicAsync(Topic, cancellationToken: cancellationToken);
        await admin.CreateOrUpdateSubscriptionAsync(Topic, Subscription, new SubscriptionConfiguration { StartAt = "latest" }, cancellationToken);

        // One client per application; processors and publishers are cheap.
        await using var client = new ActorMessagingClient(endpoint);
        await using var processor = client.CreateProcessor(Topic, Subscription, new ActorMessagingProcessorOptions { MaxConcurrentCalls = 4 });
        var received = 0;
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        processor.ProcessMessageAsync += async args =>
        {
            var order = args.Message.GetJson<Order>()!;
            await output.WriteLineAsync($"processed order {order.Id} ({order.Total:0.00}), sequence {args.Message.Sequence}, attempt {args.Message.DeliveryAttempt}");
            if (Interlocked.Increment(ref received) >= Orders)
            {
                allReceived.TrySetResult();
            }

            // Returning acks the message (AutoAck); throwing would nack it for redelivery.
        };
        processor.ProcessErrorAsync += args => output.WriteLineAsync($"error ({args.ErrorSource}): {args.Exception.Message}");
        await processor.StartProcessingAsync(cancellationToken);

        await using var publisher = client.CreatePublisher(Topic);
        for (var i = 1; i <= Orders; i++)
        {
            var message = ActorMessage.FromJson(new Order($"o-{i}", i * 10.5m));
            message.Attributes["source"] = "sample";
            var sequence = await publisher.PublishAsync(message, cancellationToken);
            await output.WriteLineAsync($"published order o-{i} as sequence {sequence}");
        }

        await allReceived.Task.WaitAsync(cancellationToken);
        await processor.StopProcessingAsync(cancellationToken);
        await output.WriteLineAsync($"done: {Orders} orders published and processed");
    }

    /// <summary>The payload, as JSON.</summary>
    public sealed record Order(string Id, decimal Total);
}
