using System.Net.Http.Json;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Exactly-once across a crash, through the HTTP API of the silo's co-hosted gateway (see <see cref="ExactlyOnceCrashTests"/>):
/// <list type="number">
/// <item>Create an exactly-once subscription at <c>earliest</c> and publish <see cref="Messages"/> messages.</item>
/// <item>Several consumers pull and ack concurrently; SIGKILL the silo once enough acks are confirmed, with acks in flight.</item>
/// <item>Restart on the same store and drain the subscription.</item>
/// </list>
/// No message whose ack was confirmed (answered without a failure for its id) may be delivered again, before or after
/// the crash, and every message must be delivered at least once.
/// </summary>
internal sealed class ExactlyOnceCrashScenario(SiloSettings settings, ITestOutputHelper output)
{
    private const string TopicName = "eo-payments";
    private const string SubscriptionName = "ledger";
    private const string SubscriptionPath = $"/v1/topics/{TopicName}/subscriptions/{SubscriptionName}";
    private const int Messages = 4000;
    private const int PublishBatch = 500;
    private const int Consumers = 4;
    private const int PullBatch = 20;
    private const int ConfirmedBeforeKill = 1500;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _lock = new();
    private readonly Dictionary<long, int> _deliveries = [];
    private readonly HashSet<long> _confirmed = [];
    private readonly HashSet<long> _confirmedBeforeCrash = [];
    private readonly HashSet<long> _deliveredBeforeCrash = [];
    private readonly List<string> _violations = [];
    private readonly SiloRun _run = new(settings, output);

    public Task RunAsync() => _run.RunAsync(async () =>
    {
        await _run.StartSiloAsync("first start");
        using (var http = NewHttp())
        {
            await CreateAndPublishAsync(http);
            await ConsumeAndCrashAsync(http);
        }

        await _run.StartSiloAsync("after the crash");
        using (var http = NewHttp())
        {
            await DrainAndVerifyAsync(http);
        }
    });

    private async Task CreateAndPublishAsync(HttpClient http)
    {
        (await http.PutAsJsonAsync($"/v1/topics/{TopicName}", new TopicConfiguration(), Json)).EnsureSuccessStatusCode();

        // A long lease: before the crash nothing expires, so every redelivery is the crash's doing.
        var created = await http.PutAsJsonAsync(SubscriptionPath, new SubscriptionConfiguration { StartAt = "earliest", ExactlyOnce = true, AckDeadlineSeconds = 600 }, Json);
        created.EnsureSuccessStatusCode();
        Assert.True((await created.Content.ReadFromJsonAsync<SubscriptionDescription>(Json))!.Settings.ExactlyOnce);

        for (var first = 0; first < Messages; first += PublishBatch)
        {
            var batch = Enumerable.Range(first, PublishBatch).Select(n => new PublishMessage { Id = $"payment-{n}", Data = JsonSerializer.SerializeToElement(n) }).ToList();
            (await http.PostAsJsonAsync($"/v1/topics/{TopicName}/messages", new PublishRequest { Messages = batch }, Json)).EnsureSuccessStatusCode();
        }

        _run.Log($"published {Messages} messages");
    }

    private async Task ConsumeAndCrashAsync(HttpClient http)
    {
        using var chaos = new Chaos();
        var consumers = Enumerable.Range(0, Consumers).Select(_ => Task.Run(() => ConsumeLoopAsync(http, chaos))).ToList();
        var reached = await Task.WhenAny(chaos.Threshold.Task, Task.WhenAny(consumers), Task.Delay(StepTimeout));
        if (reached != chaos.Threshold.Task)
        {
            await Task.WhenAll(consumers.Where(c => c.IsCompleted)); // A consumer that ended early failed: surface why.
            throw new TimeoutException($"{ConfirmedBeforeKill} confirmed acks did not happen within {StepTimeout.TotalSeconds} s.");
        }

        var acksInFlight = Volatile.Read(ref chaos.AckCallsInFlight);
        chaos.Killed = true;
        _run.Current.Kill();
        await chaos.Stop.CancelAsync();
        await Task.WhenAll(consumers).WaitAsync(StepTimeout);
        lock (_lock)
        {
            _confirmedBeforeCrash.UnionWith(_confirmed);
            _deliveredBeforeCrash.UnionWith(_deliveries.Keys);
            _run.Log($"SIGKILL with {acksInFlight} ack calls in flight; {_confirmed.Count} acks confirmed, {_deliveries.Count} messages delivered");
        }
    }

    private async Task ConsumeLoopAsync(HttpClient http, Chaos chaos)
    {
        while (!chaos.Stop.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> messages;
            SettleResponse answer;
            try
            {
                messages = await PullAsync(http, PullBatch, chaos.Stop.Token);
                if (messages.Count == 0)
                {
                    continue;
                }

                Interlocked.Increment(ref chaos.AckCallsInFlight);
                try
                {
                    answer = await AckAsync(http, messages, chaos.Stop.Token);
                }
                finally
                {
                    Interlocked.Decrement(ref chaos.AckCallsInFlight);
                }
            }
            catch (Exception) when (chaos.Killed)
            {
                // An ack in flight at the kill is not confirmed: its message may or may not come again.
                return;
            }

            if (Confirm(messages, answer) >= ConfirmedBeforeKill)
            {
                chaos.Threshold.TrySetResult();
            }
        }
    }

    private async Task DrainAndVerifyAsync(HttpClient http)
    {
        var description = await http.GetFromJsonAsync<SubscriptionDescription>(SubscriptionPath, Json);
        Assert.True(description!.Settings.ExactlyOnce, "The subscription lost its exactly-once setting in the crash.");

        var deliveredAfter = new HashSet<long>();
        var stats = description!.Stats;
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                var messages = await PullAsync(http, 100, CancellationToken.None);
                deliveredAfter.UnionWith(messages.Select(m => m.Sequence));
                if (messages.Count > 0)
                {
                    var answer = await AckAsync(http, messages, CancellationToken.None);
                    Assert.True(answer.Failures.Count == 0, $"Acks after the restart failed: {string.Join("; ", answer.Failures.Take(5))}");
                    Confirm(messages, answer);
                }

                stats = (await http.GetFromJsonAsync<SubscriptionDescription>(SubscriptionPath, Json))!.Stats;
                lock (_lock)
                {
                    return _deliveries.Count == Messages && stats.Backlog == 0 && stats.InFlight == 0;
                }
            }, "the subscription to deliver every message", StepTimeout);
        }
        catch (TimeoutException exception)
        {
            lock (_lock)
            {
                throw new TimeoutException($"{exception.Message} Delivered {_deliveries.Count} of {Messages}; last stats {stats}.", exception);
            }
        }

        lock (_lock)
        {
            var redelivered = deliveredAfter.Count(_deliveredBeforeCrash.Contains);
            _run.Log($"after the restart: {deliveredAfter.Count} delivered, {redelivered} of them delivered before the crash without a confirmed ack");
            Assert.True(_violations.Count == 0, $"{_violations.Count} confirmed acks were followed by a redelivery, e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, _violations.Take(20))}");
            Assert.Equal(Enumerable.Range(1, Messages).Select(n => (long)n), _deliveries.Keys.Order());
            Assert.True(_confirmedBeforeCrash.Count >= ConfirmedBeforeKill);
        }
    }

    private async Task<IReadOnlyList<ReceivedMessage>> PullAsync(HttpClient http, int max, CancellationToken cancellationToken)
    {
        var response = await http.PostAsJsonAsync($"{SubscriptionPath}/pull", new PullRequest { MaxMessages = max, WaitSeconds = 1 }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var messages = (await response.Content.ReadFromJsonAsync<PullResponse>(Json, cancellationToken))!.Messages;
        lock (_lock)
        {
            foreach (var message in messages)
            {
                if (_confirmed.Contains(message.Sequence))
                {
                    _violations.Add($"sequence {message.Sequence} delivered again (attempt {message.DeliveryAttempt}) after its ack was confirmed");
                }

                _deliveries[message.Sequence] = _deliveries.GetValueOrDefault(message.Sequence) + 1;
            }
        }

        return messages;
    }

    private static async Task<SettleResponse> AckAsync(HttpClient http, IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var response = await http.PostAsJsonAsync($"{SubscriptionPath}/ack", new AckRequest { AckIds = [.. messages.Select(m => m.AckId)] }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SettleResponse>(Json, cancellationToken))!;
    }

    /// <summary>Records the acks the answer confirmed; returns how many are confirmed in all.</summary>
    private int Confirm(IReadOnlyList<ReceivedMessage> messages, SettleResponse answer)
    {
        var failed = answer.Failures.Select(f => f.AckId).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var message in messages.Where(m => !failed.Contains(m.AckId)))
            {
                _confirmed.Add(message.Sequence);
            }

            if (answer.Failures.Count > 0)
            {
                _run.Log($"ack failures: {string.Join("; ", answer.Failures.Take(3))}");
            }

            return _confirmed.Count;
        }
    }

    private HttpClient NewHttp() => new() { BaseAddress = new Uri($"http://127.0.0.1:{settings.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };

    private sealed class Chaos : IDisposable
    {
        public readonly CancellationTokenSource Stop = new();
        public readonly TaskCompletionSource Threshold = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Killed;
        public int AckCallsInFlight;

        public void Dispose() => Stop.Dispose();
    }
}
