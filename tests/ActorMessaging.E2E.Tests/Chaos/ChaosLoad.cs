using ActorMessaging.Client;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// The traffic of a chaos run, through the .NET SDK as an application would send it: publishers that retry one message
/// (same id) until it is acknowledged, failing over between gateways, and processors on every subscription on each
/// standalone gateway. Everything they see goes into the <see cref="ChaosLedger"/>.
/// </summary>
internal sealed class ChaosLoad : IAsyncDisposable
{
    /// <summary>The at-least-once subscription every topic has.</summary>
    public const string AtLeastOnce = "alo";

    /// <summary>The exactly-once subscription of every other topic.</summary>
    public const string ExactlyOnce = "eo";

    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(50);
    private readonly List<ActorMessagingClient> _clients = [];
    private readonly List<ActorMessagingProcessor> _processors = [];
    private readonly List<Task> _publishers = [];
    private readonly CancellationTokenSource _stopPublishing = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly ChaosLedger _ledger;

    private ChaosLoad(ChaosLedger ledger, IReadOnlyList<string> topics)
    {
        _ledger = ledger;
        Topics = topics;
    }

    public IReadOnlyList<string> Topics { get; }

    /// <summary>The subscriptions of <paramref name="topicIndex"/>'s topic: at-least-once, and on every other topic exactly-once too.</summary>
    public static IEnumerable<string> SubscriptionsOf(int topicIndex) =>
        topicIndex % 2 == 0 ? [AtLeastOnce, ExactlyOnce] : [AtLeastOnce];

    /// <summary>
    /// Creates <paramref name="topics"/> topics with their subscriptions, then starts processors on each of
    /// <paramref name="processorGateways"/> and <paramref name="publishersPerTopic"/> publishers per topic spread over
    /// <paramref name="publisherGateways"/> (each publisher starts at its own gateway and moves on when it fails).
    /// </summary>
    public static async Task<ChaosLoad> StartAsync(
        ChaosCluster cluster,
        ChaosLedger ledger,
        int topics,
        int publishersPerTopic,
        IReadOnlyList<Uri> publisherGateways,
        IReadOnlyList<Uri> processorGateways,
        TopicSettings topicSettings)
    {
        var names = Enumerable.Range(0, topics).Select(i => $"chaos-{i}").ToList();
        for (var i = 0; i < names.Count; i++)
        {
            await cluster.Client.Topic(names[i]).CreateAsync(topicSettings);
            foreach (var subscription in SubscriptionsOf(i))
            {
                await cluster.Client.Subscription(names[i], subscription).CreateAsync(new SubscriptionSettings
                {
                    StartAt = StartPosition.Earliest,
                    ExactlyOnce = subscription == ExactlyOnce,
                    AckDeadline = TimeSpan.FromSeconds(20),
                    MaxDeliveryAttempts = 100,
                });
            }
        }

        var load = new ChaosLoad(ledger, names);
        try
        {
            foreach (var gateway in processorGateways)
            {
                var client = load.Own(gateway);
                for (var i = 0; i < names.Count; i++)
                {
                    foreach (var subscription in SubscriptionsOf(i))
                    {
                        await load.StartProcessorAsync(client, names[i], subscription);
                    }
                }
            }

            var publisherClients = publisherGateways.Select(load.Own).ToList();
            var index = 0;
            foreach (var topic in names)
            {
                for (var p = 0; p < publishersPerTopic; p++, index++)
                {
                    var publishers = publisherClients.Select(c => c.CreatePublisher(topic, new ActorMessagingPublisherOptions { Linger = TimeSpan.Zero })).ToList();
                    load._publishers.Add(load.PublishAsync(topic, $"p{p}", publishers, index % publishers.Count));
                }
            }

            return load;
        }
        catch
        {
            await load.DisposeAsync();
            throw;
        }
    }

    /// <summary>Publishers finish the message they are on (retrying it until it is acknowledged, up to <paramref name="timeout"/>) and stop.</summary>
    public async Task StopPublishingAsync(TimeSpan timeout)
    {
        await _stopPublishing.CancelAsync();
        _abandon.CancelAfter(timeout);
        await Task.WhenAll(_publishers);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopPublishing.CancelAsync();
        await _abandon.CancelAsync();
        await Task.WhenAll(_publishers).ContinueWith(static _ => { }, TaskScheduler.Default);
        foreach (var processor in _processors)
        {
            await processor.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _stopPublishing.Dispose();
        _abandon.Dispose();
    }

    private ActorMessagingClient Own(Uri gateway)
    {
        var client = new ActorMessagingClient(gateway, new ActorMessagingClientOptions
        {
            // Short tries and no retry on one gateway, so a frozen gateway is left after seconds: the publisher loop
            // keeps the message (and its id) until it is acknowledged, moving to the next gateway after each failure.
            Retry = new ActorMessagingRetryOptions { MaxRetries = 0, Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1), TryTimeout = TimeSpan.FromSeconds(5) },
            ConnectTimeout = TimeSpan.FromSeconds(5),
        });
        _clients.Add(client);
        return client;
    }

    private async Task StartProcessorAsync(ActorMessagingClient client, string topic, string subscription)
    {
        var exactlyOnce = subscription == ExactlyOnce;
        var processor = client.CreateProcessor(topic, subscription, new ActorMessagingProcessorOptions { AutoAck = !exactlyOnce, MaxConcurrentCalls = 4 });
        processor.ProcessMessageAsync += async args =>
        {
            _ledger.Delivered(topic, subscription, args.Message.Id, args.Message.Sequence, args.Message.DeliveryAttempt);
            if (exactlyOnce)
            {
                try
                {
                    await args.AckAsync(args.CancellationToken);
                    _ledger.AckSucceeded(topic, subscription, args.Message.Id);
                }
                catch (Exception exception) when (exception is Client.ActorMessagingException or OperationCanceledException)
                {
                    // Not acknowledged: the message comes again, which the checker allows.
                }
            }
        };
        processor.ProcessErrorAsync += args =>
        {
            _ledger.Error($"processor {topic}/{subscription}: {args.Exception.GetType().Name}: {args.Exception.Message}");
            return Task.CompletedTask;
        };
        _processors.Add(processor);
        await processor.StartProcessingAsync();
    }

    private async Task PublishAsync(string topic, string publisher, List<ActorMessagingPublisher> gateways, int current)
    {
        for (var n = 0; !_stopPublishing.IsCancellationRequested; n++)
        {
            var id = $"{topic}/{publisher}/{n}";
            var started = _ledger.Now;
            while (true)
            {
                try
                {
                    var sequence = await gateways[current].PublishAsync(new ActorMessage(BinaryData.FromString(id)) { Id = id }, _abandon.Token);
                    _ledger.Published(topic, id, sequence, started);
                    break;
                }
                catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    // The same message, same id, through the next gateway: the topic stores it once whichever try landed.
                    _ledger.Error($"publish {id} via gateway {current}: {exception.GetType().Name}: {exception.Message}");
                    current = (current + 1) % gateways.Count;
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(100), _abandon.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }

            try
            {
                await Task.Delay(PublishInterval, _stopPublishing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
