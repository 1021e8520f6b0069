using System.Net.Http.Json;
using System.Text.Json;
using ActorMessaging.Contracts;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// Exactly-once across a crash, through the HTTP API of the silo's co-hosted gateway (see <see cref="CrashTests"/>):
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
    private readonly CrashRun _run = new(settings, output);

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
        var loops = Enumerable.Range(0, Consumers).Select(_ => (Func<CrashLoad, Task>)(load => ConsumeLoopAsync(http, load))).ToList();
        var acksInFlight = await _run.KillDuringAsync(loops, () => ConfirmedCount() >= ConfirmedBeforeKill, $"{ConfirmedBeforeKill} confirmed acks", StepTimeout);
        lock (_lock)
        {
            _confirmedBeforeCrash.UnionWith(_confirmed);
            _deliveredBeforeCrash.UnionWith(_deliveries.Keys);
            _run.Log($"{acksInFlight} ack calls were in flight; {_confirmed.Count} acks confirmed, {_deliveries.Count} messages delivered");
        }
    }

    /// <summary>Pulls and acks until the kill; an ack the kill interrupted is not confirmed (its message may come again).</summary>
    private async Task ConsumeLoopAsync(HttpClient http, CrashLoad load)
    {
        while (!load.Stopping.IsCancellationRequested)
        {
            IReadOnlyList<ReceivedMessage> messages = [];
            SettleResponse? answer = null;
            if (!await load.CallAsync(async stopping => messages = await PullAsync(http, PullBatch, stopping), counted: false))
            {
                return;
            }

            if (messages.Count == 0)
            {
                continue;
            }

            if (!await load.CallAsync(async stopping => answer = await AckAsync(http, messages, stopping)))
            {
                return;
            }

            Confirm(messages, answer!);
        }
    }

    private int ConfirmedCount()
    {
        lock (_lock)
        {
            return _confirmed.Count;
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

    /// <summary>Records the acks the answer confirmed.</summary>
    private void Confirm(IReadOnlyList<ReceivedMessage> messages, SettleResponse answer)
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
        }
    }

    private HttpClient NewHttp() => new() { BaseAddress = new Uri($"http://127.0.0.1:{settings.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
}
