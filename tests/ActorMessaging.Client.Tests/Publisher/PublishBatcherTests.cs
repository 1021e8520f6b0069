using ActorMessaging.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace ActorMessaging.Client.Tests;

public sealed class PublishBatcherTests
{
    [Fact]
    public async Task CallsMadeWhileABatchIsOnTheWire_GoOutTogether_InCallOrder()
    {
        using var wire = new FakeWire();
        await using var batcher = new PublishBatcher(wire.SendAsync, new ActorMessagingPublisherOptions(), TimeProvider.System);

        var first = batcher.PublishAsync([Message("m0")], CancellationToken.None);
        await wire.WaitForBatchesAsync(1);
        var rest = Enumerable.Range(1, 10).Select(i => batcher.PublishAsync([Message($"m{i}")], CancellationToken.None)).ToList();
        wire.Release();

        Assert.Equal(0, (await first.WaitAsync(TimeSpan.FromSeconds(20)))[0].Sequence);
        for (var i = 0; i < rest.Count; i++)
        {
            Assert.Equal(i + 1, (await rest[i])[0].Sequence);
        }

        Assert.Equal([1, 10], wire.Batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), wire.Batches[1].Select(m => m.Id));
    }

    [Fact]
    public async Task Batches_StayWithinMaxBatchSize_AndNeverSplitACall()
    {
        using var wire = new FakeWire();
        await using var batcher = new PublishBatcher(wire.SendAsync, new ActorMessagingPublisherOptions { MaxBatchSize = 4 }, TimeProvider.System);

        var blocker = batcher.PublishAsync([Message("b")], CancellationToken.None);
        await wire.WaitForBatchesAsync(1);
        var calls = new List<Task<IReadOnlyList<PublishMessageResult>>>
        {
            batcher.PublishAsync([Message("a1"), Message("a2"), Message("a3")], CancellationToken.None),
            batcher.PublishAsync([Message("c1"), Message("c2")], CancellationToken.None),
            batcher.PublishAsync([.. Enumerable.Range(0, 6).Select(i => Message($"big{i}"))], CancellationToken.None),
            batcher.PublishAsync([Message("d")], CancellationToken.None),
        };
        wire.Release();
        await blocker.WaitAsync(TimeSpan.FromSeconds(20));
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(20));

        // [b], [a1 a2 a3] (c would make 5), [c1 c2] (the 6 would make 8), [big × 6] alone and whole, [d].
        Assert.Equal([1, 3, 2, 6, 1], wire.Batches.Select(b => b.Count));
        Assert.Equal([4L, 5L], (await calls[1]).Select(r => r.Sequence));
    }

    [Fact]
    public async Task Linger_WaitsForMore_BeforeSendingABatchThatIsNotFull()
    {
        var time = new TimerCountingTimeProvider();
        using var wire = new FakeWire(autoRelease: true);
        await using var batcher = new PublishBatcher(wire.SendAsync, new ActorMessagingPublisherOptions { Linger = TimeSpan.FromMilliseconds(100) }, time);

        var first = batcher.PublishAsync([Message("x")], CancellationToken.None);

        // Nothing may leave before the (fake) linger passes. The clock moves only once the batcher's linger timer is
        // registered with it: moved earlier, the linger would end after the advance and never (CI hung here twice: once
        // advanced before the timer existed, once in the gap between TimerCountingTimeProvider counting the timer and
        // the clock registering it). The batcher also takes 'y', queued before the linger ended, even when it sees the
        // end first (it used to send 'x' alone, then linger on 'y' with a timer the test never advances).
        await Eventually.TrueAsync(() => time.TimersDue(TimeSpan.FromMilliseconds(100)) == 1, "the linger");
        Assert.Empty(wire.Batches);
        var second = batcher.PublishAsync([Message("y")], CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([2], wire.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task ABadMessage_FailsOnlyItsOwnCaller()
    {
        using var wire = new FakeWire(reject: id => id == "bad");
        await using var batcher = new PublishBatcher(wire.SendAsync, new ActorMessagingPublisherOptions(), TimeProvider.System);

        var blocker = batcher.PublishAsync([Message("first")], CancellationToken.None);
        await wire.WaitForBatchesAsync(1);
        var good1 = batcher.PublishAsync([Message("good1")], CancellationToken.None);
        var bad = batcher.PublishAsync([Message("bad")], CancellationToken.None);
        var good2 = batcher.PublishAsync([Message("good2")], CancellationToken.None);
        wire.Release();
        await blocker;

        await good1;
        await good2;
        var error = await Assert.ThrowsAsync<ActorMessagingException>(() => bad);
        Assert.Equal(ErrorCode.InvalidMessage, error.Code);
        Assert.Equal([1, 3, 1, 1, 1], wire.Batches.Select(b => b.Count));
    }

    [Fact]
    public async Task ACallCancelledBeforeItIsSent_IsNotSent()
    {
        using var wire = new FakeWire();
        await using var batcher = new PublishBatcher(wire.SendAsync, new ActorMessagingPublisherOptions(), TimeProvider.System);

        var blocker = batcher.PublishAsync([Message("first")], CancellationToken.None);
        await wire.WaitForBatchesAsync(1);
        using var cancellation = new CancellationTokenSource();
        var cancelled = batcher.PublishAsync([Message("cancelled")], cancellation.Token);
        var kept = batcher.PublishAsync([Message("kept")], CancellationToken.None);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        wire.Release();
        await blocker;
        await kept;

        Assert.Equal(["first", "kept"], wire.Batches.SelectMany(b => b).Select(m => m.Id));
    }

    [Fact]
    public async Task Dispose_SendsWhatIsQueued_ThenRefusesNewCalls()
    {
        using var wire = new FakeWire(autoRelease: true);
        var batcher = new PublishBatcher(wire.SendAsync, new ActorMessagingPublisherOptions(), TimeProvider.System);
        var queued = Enumerable.Range(0, 5).Select(i => batcher.PublishAsync([Message($"q{i}")], CancellationToken.None)).ToList();
        await batcher.DisposeAsync();
        await Task.WhenAll(queued);
        Assert.Equal(5, wire.Batches.Sum(b => b.Count));
        Assert.Throws<ObjectDisposedException>(() => { _ = batcher.PublishAsync([Message("late")], CancellationToken.None); });
    }

    private static PublishMessage Message(string id) => new() { Id = id, DataBase64 = "AA==" };

    /// <summary>A stand-in for the hub: records batches, holds each until released (unless auto), numbers messages in arrival order.</summary>
    private sealed class FakeWire(bool autoRelease = false, Func<string?, bool>? reject = null) : IDisposable
    {
        private readonly SemaphoreSlim _release = new(0);
        private readonly Lock _lock = new();
        private long _next;

        public List<List<PublishMessage>> Batches { get; } = [];

        public void Release() => _release.Release(1000);

        public void Dispose() => _release.Dispose();

        public Task WaitForBatchesAsync(int count) => Eventually.TrueAsync(() => { lock (_lock) { return Batches.Count >= count; } }, $"{count} batches");

        public async Task<IReadOnlyList<PublishMessageResult>> SendAsync(IReadOnlyList<PublishMessage> messages, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                Batches.Add([.. messages]);
            }

            if (!autoRelease)
            {
                await _release.WaitAsync(cancellationToken);
                _release.Release();
            }

            if (reject is not null && messages.Any(m => reject(m.Id)))
            {
                throw new ActorMessagingException(ErrorCode.InvalidMessage, "A message is malformed.");
            }

            lock (_lock)
            {
                return [.. messages.Select(_ => new PublishMessageResult { Sequence = _next++, Duplicate = false })];
            }
        }
    }
}
