using System.Collections.Concurrent;
using ActorMessaging.Contracts;
using ActorMessaging.Gateway.Hubs;
using ActorMessaging.Gateway.Hubs.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace ActorMessaging.Gateway.Tests;

/// <summary>
/// Slow live subscribers: a connection whose sends take long (its transport buffer is full) falls behind, catches up
/// from the log in large frames, and gets every sequence in order. (A stock SignalR client reads every frame off the
/// socket into its own unbounded queue, so a slow handler there is invisible to the gateway: see docs/architecture.md.)
/// </summary>
[Collection(HubCollection.Name)]
public sealed class HubLiveSlowSubscriberTests(HubFixture fixture)
{
    private GatewayHost Host => fixture.Host;

    [Fact]
    public async Task Live_SlowConnection_CatchesUpFromTheLog_AndGetsEverySequenceInOrder()
    {
        var topic = await Host.CreateTopicAsync("slow-connection");
        await using var publisher = await HubTestClient.ConnectAsync(Host.Address);
        var connection = new SlowConnection(TimeSpan.FromMilliseconds(500));
        var feeds = ActivatorUtilities.CreateInstance<LiveFeeds>(Host.Services, connection, new HubSubscriptionRegistry());
        try
        {
            // A window of 100 messages; each send takes 500 ms, as on a connection whose transport buffer is full.
            await feeds.JoinAsync("slow-connection", topic, maxInFlight: 1);
            long last = 0;
            for (var burst = 0; burst < 30; burst++)
            {
                last = (await publisher.PublishNumbersAsync(topic, 60, first: burst * 60))[^1].Sequence;

                // Load shaping: several bursts, more than the window, arrive during each send.
                await Task.Delay(50);
            }

            await Eventually.TrueAsync(() => connection.Reached >= last, "every sequence delivered or reported as a gap");

            Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), connection.Frames.SelectMany(f => f));
            Assert.Empty(connection.Gaps);
            Assert.Contains(connection.Frames, f => f.Count > 100);
        }
        finally
        {
            await feeds.CloseAllAsync();
        }
    }

    /// <summary>The hub context of one connection whose every send takes <c>perFrame</c>; it records what it was sent.</summary>
    private sealed class SlowConnection(TimeSpan perFrame) : IHubContext<MessagingHub>, IHubClients, ISingleClientProxy
    {
        public ConcurrentQueue<List<long>> Frames { get; } = new();

        public ConcurrentQueue<LiveGap> Gaps { get; } = new();

        public long Reached => Math.Max(
            Frames.IsEmpty ? 0 : Frames.Max(f => f.Count == 0 ? 0 : f[^1]),
            Gaps.IsEmpty ? 0 : Gaps.Max(g => g.NextAvailable - 1));

        IHubClients IHubContext<MessagingHub>.Clients => this;

        IGroupManager IHubContext<MessagingHub>.Groups => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.All => throw new NotSupportedException();

        public ISingleClientProxy Client(string connectionId) => this;

        IClientProxy IHubClients<IClientProxy>.Client(string connectionId) => this;

        IClientProxy IHubClients<IClientProxy>.AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.Group(string groupName) => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.User(string userId) => throw new NotSupportedException();

        IClientProxy IHubClients<IClientProxy>.Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();

        public async Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            switch (args[0])
            {
                case LiveFrame frame:
                    Frames.Enqueue([.. frame.Messages.Select(m => m.Sequence)]);
                    break;
                case LiveGap gap:
                    Gaps.Enqueue(gap);
                    break;
            }

            await Task.Delay(perFrame, cancellationToken);
        }

        public Task<T> InvokeCoreAsync<T>(string method, object?[] args, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
