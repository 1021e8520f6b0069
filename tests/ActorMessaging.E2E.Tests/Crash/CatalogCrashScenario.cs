using System.Collections.Concurrent;
using System.Text;
using ActorMessaging.Testing;
using Xunit.Abstractions;

namespace ActorMessaging.E2E.Tests;

/// <summary>
/// The topic catalog crash scenario, run against one store (see <see cref="CrashTests"/>): a topic exists exactly while
/// it is listed, whatever a crash interrupted.
/// <list type="number">
/// <item>Start a silo; create seed topics, each with one message.</item>
/// <item>From several tasks create new topics and delete seed topics; SIGKILL the silo with creates and deletes in flight.</item>
/// <item>Start the silo again on the same store: every acknowledged create is listed and exists, no acknowledged delete
/// is listed or exists, and for every name the load touched, being listed and existing agree; a deleted topic created
/// again starts with an empty log.</item>
/// </list>
/// </summary>
internal sealed class CatalogCrashScenario(SiloSettings settings, ITestOutputHelper output)
{
    private const string Prefix = "catalog-";
    private const int SeedTopics = 240;
    private const int Workers = 6;
    private const int CreatesBeforeKill = 300;
    private const int DeletesBeforeKill = 60;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(45);

    private readonly CrashRun _run = new(settings, output);
    private readonly ConcurrentDictionary<string, byte> _createsAcknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deletesAttempted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deletesAcknowledged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _touched = new(StringComparer.Ordinal);

    public Task RunAsync() => _run.RunAsync(async () =>
    {
        await _run.StartSiloAsync("first start");
        await SeedAsync();
        await CreateAndDeleteUntilKilledAsync();
        await VerifyAfterCrashAsync();
    });

    private static string Seed(int i) => $"{Prefix}seed-{i:D4}";

    private async Task SeedAsync()
    {
        await using var client = await SiloClient.ConnectAsync(settings);
        await Parallel.ForEachAsync(Enumerable.Range(0, SeedTopics), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var topic = client.Topic(Seed(i));
            await topic.CreateAsync(new TopicSettings());
            await topic.PublishAsync([new OutgoingMessage(null, Encoding.UTF8.GetBytes($"before-{i}"))]);
            _createsAcknowledged[Seed(i)] = 0;
            _touched[Seed(i)] = 0;
        });
        Assert.Equal(SeedTopics, (await ListAllAsync(client)).Count);
    }

    /// <summary>Each worker creates its own new topics and deletes its share of the seed topics, in turn, until the kill.</summary>
    private async Task CreateAndDeleteUntilKilledAsync()
    {
        var client = await SiloClient.ConnectAsync(settings);
        var loops = Enumerable.Range(0, Workers).Select(w => (Func<CrashLoad, Task>)(async load =>
        {
            var deletable = new Queue<string>(Enumerable.Range(0, SeedTopics).Where(i => i % Workers == w).Select(Seed));
            for (var n = 0; !load.Stopping.IsCancellationRequested; n++)
            {
                var created = $"{Prefix}new-{w}-{n:D5}";
                _touched[created] = 0;
                if (!await load.CallAsync(stopping => client.Topic(created).CreateAsync(new TopicSettings()).WaitAsync(stopping)))
                {
                    return;
                }

                _createsAcknowledged[created] = 0;
                if (n % 4 == 0 && deletable.TryDequeue(out var deleted))
                {
                    _deletesAttempted[deleted] = 0;
                    if (!await load.CallAsync(stopping => client.Topic(deleted).DeleteAsync().WaitAsync(stopping)))
                    {
                        return;
                    }

                    _deletesAcknowledged[deleted] = 0;
                }
            }
        })).ToList();

        await _run.KillDuringAsync(
            loops,
            () => _createsAcknowledged.Count >= SeedTopics + CreatesBeforeKill && _deletesAcknowledged.Count >= DeletesBeforeKill,
            $"{CreatesBeforeKill} creates and {DeletesBeforeKill} deletes acknowledged",
            StepTimeout);
        _run.Log($"{_createsAcknowledged.Count - SeedTopics} creates and {_deletesAcknowledged.Count} deletes acknowledged, {_touched.Count} names touched");
        await client.DisposeAsync();
    }

    private async Task VerifyAfterCrashAsync()
    {
        await _run.StartSiloAsync("after the crash");
        await using var client = await SiloClient.ConnectAsync(settings);
        var listed = (await ListAllAsync(client)).ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        problems.AddRange(_createsAcknowledged.Keys.Where(n => !_deletesAttempted.ContainsKey(n) && !listed.Contains(n)).Select(n => $"'{n}' was created (acknowledged), never deleted, but is not listed"));
        problems.AddRange(_deletesAcknowledged.Keys.Where(listed.Contains).Select(n => $"'{n}' was deleted (acknowledged) but is listed"));
        problems.AddRange(listed.Where(n => !_touched.ContainsKey(n)).Select(n => $"'{n}' is listed but was never created"));
        foreach (var name in _touched.Keys)
        {
            var exists = await ExistsAsync(client, name);
            if (exists != listed.Contains(name))
            {
                problems.Add($"'{name}' {(exists ? "exists but is not listed" : "is listed but does not exist")}");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} problems after the crash, e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
        _run.Log($"after the crash: {listed.Count} topics listed, each existing; {_touched.Count} names checked");

        // A deleted topic created again reads none of its predecessor's log, which a crash may have left behind.
        var recreated = _deletesAcknowledged.Keys.Order(StringComparer.Ordinal).First();
        var topic = client.Topic(recreated);
        Assert.True((await topic.CreateAsync(new TopicSettings())).Created);
        await topic.PublishAsync([new OutgoingMessage(null, Encoding.UTF8.GetBytes("after"))]);
        var read = await topic.ReadAsync(1, 100);
        Assert.Equal(["after"], read.Messages.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
    }

    private static async Task<bool> ExistsAsync(SiloClient client, string name)
    {
        try
        {
            await client.Topic(name).GetAsync();
            return true;
        }
        catch (BrokerException exception) when (exception.Code == ErrorCode.TopicNotFound)
        {
            return false;
        }
    }

    private static async Task<List<string>> ListAllAsync(SiloClient client)
    {
        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await client.Cluster.ListTopicsAsync(Prefix, TopicDirectory.MaxPageSize, token);
            names.AddRange(page.Names);
            token = page.NextPageToken;
        }
        while (token is not null);

        return names;
    }
}
