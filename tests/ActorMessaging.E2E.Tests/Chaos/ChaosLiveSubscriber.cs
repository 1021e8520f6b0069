using ActorMessaging.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace ActorMessaging.E2E.Tests.Chaos;

/// <summary>
/// A live subscription (<c>Subscribe(topic, null, …)</c>) through the stock .NET SignalR client, recording every delivered
/// sequence and every reported gap in the <see cref="ChaosLedger"/>. A slow one takes time over each batch, so the
/// gateway's queue for it fills and it catches up from the topic's log.
/// </summary>
internal sealed class ChaosLiveSubscriber : IAsyncDisposable
{
    // Slower than the fast one, but faster than frames come (about 25 a second on a busy topic): a stock client queues
    // every frame in its own memory, so a handler slower than that falls behind for ever whatever the gateway does
    // (docs/architecture.md, live flow control).
    private static readonly TimeSpan SlowBatch = TimeSpan.FromMilliseconds(20);
    private readonly HubConnection _connection;

    private ChaosLiveSubscriber(HubConnection connection, string name)
    {
        _connection = connection;
        Name = name;
    }

    public string Name { get; }

    public static async Task<ChaosLiveSubscriber> StartAsync(Uri gateway, string topic, string name, bool slow, ChaosLedger ledger)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(gateway, "/hubs/messaging")).Build();
        var subscriber = new ChaosLiveSubscriber(connection, name);
        connection.On<List<ReceivedMessage>>("Deliver", async messages =>
        {
            foreach (var message in messages)
            {
                ledger.LiveDelivered(name, message.Sequence);
            }

            if (slow)
            {
                // Load shaping, not a wait for an outcome: a subscriber that reads slower than the topic is published to.
                await Task.Delay(SlowBatch);
            }
        });
        connection.On<LiveGap>("Gap", gap => ledger.LiveGap(name, gap.FirstMissing, gap.NextAvailable));
        await connection.StartAsync();
        await connection.InvokeAsync<string>("Subscribe", topic, null, new { maxInFlight = 20 });
        return subscriber;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
