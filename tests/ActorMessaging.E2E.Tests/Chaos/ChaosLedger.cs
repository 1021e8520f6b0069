using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// What the clients of a chaos run saw, as they saw it: every acknowledged publish (id, sequence, how long it took from
/// the first try), every delivery, and every exactly-once ack that succeeded. Times are offsets from the run's start.
/// </summary>
internal sealed class ChaosLedger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ConcurrentQueue<AckedPublish> Acked { get; } = new();

    public ConcurrentQueue<ObservedDelivery> Deliveries { get; } = new();

    public ConcurrentQueue<SucceededAck> ExactlyOnceAcks { get; } = new();

    public ConcurrentQueue<string> ClientErrors { get; } = new();

    /// <summary>Sequences each live subscriber received, in arrival order, by subscriber name.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<long>> Live { get; } = new();

    /// <summary>Gaps each live subscriber was told about: [first missing, next available).</summary>
    public ConcurrentQueue<(string Subscriber, long FirstMissing, long NextAvailable)> LiveGaps { get; } = new();

    /// <summary>What each client's SDK logged, with when: (client, at, line).</summary>
    public ConcurrentQueue<(string Client, TimeSpan At, string Line)> ClientLogs { get; } = new();

    public TimeSpan Now => _clock.Elapsed;

    public void ClientLog(string client, string line)
    {
        if (ClientLogs.Count < 200_000)
        {
            ClientLogs.Enqueue((client, Now, line));
        }
    }

    /// <summary>What <paramref name="client"/>'s SDK logged between <paramref name="from"/> and <paramref name="to"/>, one line each.</summary>
    public string ClientLogOf(string client, TimeSpan from, TimeSpan to) => string.Join(Environment.NewLine, ClientLogs
        .Where(l => l.Client == client && l.At >= from && l.At <= to)
        .Select(l => $"  {l.At.TotalSeconds:F1}s {l.Line}"));

    public void Published(string topic, string id, long sequence, TimeSpan startedAt) =>
        Acked.Enqueue(new AckedPublish(topic, id, sequence, startedAt, Now));

    public void Delivered(string topic, string subscription, string? id, long sequence, int attempt) =>
        Deliveries.Enqueue(new ObservedDelivery(topic, subscription, id ?? string.Empty, sequence, attempt, Now));

    public void AckSucceeded(string topic, string subscription, string? id) =>
        ExactlyOnceAcks.Enqueue(new SucceededAck(topic, subscription, id ?? string.Empty, Now));

    public void LiveDelivered(string subscriber, long sequence) => Live.GetOrAdd(subscriber, _ => new()).Enqueue(sequence);

    public void LiveGap(string subscriber, long firstMissing, long nextAvailable) => LiveGaps.Enqueue((subscriber, firstMissing, nextAvailable));

    public void Error(string what)
    {
        if (ClientErrors.Count < 1000)
        {
            ClientErrors.Enqueue($"{Now.TotalSeconds:F1}s {what}");
        }
    }
}
