using ActorMessaging.Client;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// The traffic of a chaos run, through the .NET SDK with its default retry options, as an application would send it:
/// publishers that each know every gateway (starting at a different one) and publish one message at a time with an id,
/// and processors on every subscription starting at each standalone gateway. Everything they see goes into the
/// <see cref="ChaosLedger"/>.
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
    private readonly List<ChaosLiveSubscriber> _live = [];
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
            for (var g = 0; g < processorGateways.Count; g++)
            {
                var client = load.Own(processorGateways, g, $"processors {g}");
                for (var i = 0; i < names.Count; i++)
                {
                    foreach (var subscription in SubscriptionsOf(i))
                    {
                        await load.StartProcessorAsync(client, names[i], subscription);
                    }
                }
            }

            var index = 0;
            foreach (var topic in names)
            {
                for (var p = 0; p < publishersPerTopic; p++, index++)
                {
                    // One name for the publisher's client (its SDK log) and its message ids, so a stall leads to its log.
                    var name = $"{topic}/p{p}";
                    var publisher = load.Own(publisherGateways, index, name).CreatePublisher(topic, new ActorMessagingPublisherOptions { Linger = TimeSpan.Zero });
                    load._publishers.Add(load.PublishAsync(topic, name, publisher));
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

    /// <summary>
    /// Live subscriptions on the first topic, one through each of <paramref name="gateways"/>; every other one is slow,
    /// so it lags the feed and catches up from the log.
    /// </summary>
    public async Task StartLiveSubscribersAsync(IReadOnlyList<Uri> gateways)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            var slow = i % 2 == 1;
            _live.Add(await ChaosLiveSubscriber.StartAsync(gateways[i], Topics[0], $"live {i}{(slow ? " (slow)" : string.Empty)}", slow, _ledger));
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

        foreach (var live in _live)
        {
            await live.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        _stopPublishing.Dispose();
        _abandon.Dispose();
    }

    /// <summary>
    /// A client of every gateway in <paramref name="gateways"/>, starting at the one at <paramref name="start"/>, with the
    /// SDK's default options; its log goes to the ledger as <paramref name="name"/>.
    /// </summary>
    private ActorMessagingClient Own(IReadOnlyList<Uri> gateways, int start, string name)
    {
        var client = new ActorMessagingClient(
            gateways.Skip(start % gateways.Count).Concat(gateways.Take(start % gateways.Count)),
            new ActorMessagingClientOptions { LoggerFactory = new ChaosClientLog(_ledger, name) });
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
                catch (Exception exception) when (exception is ActorMessagingException or OperationCanceledException)
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

    private async Task PublishAsync(string topic, string publisher, ActorMessagingPublisher sender)
    {
        for (var n = 0; !_stopPublishing.IsCancellationRequested; n++)
        {
            var id = $"{publisher}/{n}";
            var started = _ledger.Now;
            while (true)
            {
                try
                {
                    var sequence = await sender.PublishAsync(new ActorMessage(BinaryData.FromString(id)) { Id = id }, _abandon.Token);
                    _ledger.Published(topic, id, sequence, started);
                    break;
                }
                catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    // The SDK's retry budget ran out (or the error is not transient): the application sends the same
                    // message, same id, again; the topic stores it once whichever try landed. The checker reports the stall.
                    _ledger.Error($"publish {id}: {exception.GetType().Name}: {exception.Message}");
                    if (!await PauseAsync(TimeSpan.FromMilliseconds(200), _abandon.Token))
                    {
                        return;
                    }
                }
            }

            if (!await PauseAsync(PublishInterval, _stopPublishing.Token))
            {
                return;
            }
        }
    }

    /// <summary>Paces the load (not a wait for an outcome); false once <paramref name="token"/> ends the run.</summary>
    private static async Task<bool> PauseAsync(TimeSpan pause, CancellationToken token)
    {
        try
        {
            await Task.Delay(pause, token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
