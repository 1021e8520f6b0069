using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace ActorMessaging.Client.Tests;

public sealed class RetryPolicyTests
{
    private static readonly ActorMessagingRetryOptions Options = new()
    {
        MaxRetries = 3,
        Delay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(5),
        Jitter = 0.2,
        TryTimeout = TimeSpan.FromSeconds(10),
    };

    [Theory]
    [InlineData(1, 0.5, 1000)]
    [InlineData(2, 0.5, 2000)]
    [InlineData(3, 0.5, 4000)]
    [InlineData(4, 0.5, 5000)]
    [InlineData(40, 0.5, 5000)]
    [InlineData(1, 0.0, 800)]
    [InlineData(1, 1.0, 1200)]
    [InlineData(2, 0.0, 1600)]
    [InlineData(3, 1.0, 4800)]
    [InlineData(4, 0.0, 4000)]
    [InlineData(4, 1.0, 5000)]
    public void DelayFor_IsExponential_WithJitter_CappedAtMaxDelay(int attempt, double random, int expectedMilliseconds)
    {
        var policy = new RetryPolicy(Options, TimeProvider.System, () => random);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), policy.DelayFor(attempt));
    }

    [Fact]
    public async Task Transient_IsRetried_AfterTheBackoff_UpToMaxRetries()
    {
        var time = new TimerCountingTimeProvider();
        var policy = new RetryPolicy(Options, time, () => 0.5);
        var tries = 0;
        var call = policy.ExecuteAsync<int>(_ =>
        {
            tries++;
            throw new ActorMessagingException(ErrorCode.Unavailable, "down");
        }, CancellationToken.None);

        Assert.Equal(1, tries);
        foreach (var (wait, expectedTries) in new[] { (1000, 2), (2000, 3), (4000, 4) })
        {
            // The clock moves only once the policy waits on it; moved earlier, the wait would start later.
            await Eventually.TrueAsync(() => time.TimersDue(TimeSpan.FromMilliseconds(wait)) == 1, $"backoff {expectedTries - 1}");
            time.Advance(TimeSpan.FromMilliseconds(wait - 1));
            Assert.Equal(expectedTries - 1, tries);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => tries == expectedTries, $"try {expectedTries}");
        }

        var error = await Assert.ThrowsAsync<ActorMessagingException>(() => call);
        Assert.Equal(ErrorCode.Unavailable, error.Code);
        Assert.Equal(4, tries);
    }

    [Fact]
    public async Task Transient_ThenSuccess_ReturnsTheValue()
    {
        var time = new TimerCountingTimeProvider();
        var policy = new RetryPolicy(Options, time, () => 0.5);
        var tries = 0;
        var call = policy.ExecuteAsync(_ => ++tries < 3 ? throw new ActorMessagingException(ErrorCode.StorageUnavailable, "busy") : Task.FromResult(42), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => tries == 2 && time.TimersDue(TimeSpan.FromSeconds(2)) == 1, "the second try and its backoff");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(42, await call);
    }

    [Fact]
    public async Task NotTransient_FailsAtOnce()
    {
        var tries = 0;
        var policy = new RetryPolicy(Options, new FakeTimeProvider(), () => 0.5);
        var error = await Assert.ThrowsAsync<ActorMessagingException>(() => policy.ExecuteAsync<int>(_ =>
        {
            tries++;
            throw new ActorMessagingException(ErrorCode.TopicNotFound, "Topic 'x' not found.");
        }, CancellationToken.None));
        Assert.Equal(ErrorCode.TopicNotFound, error.Code);
        Assert.False(error.IsTransient);
        Assert.Equal(1, tries);
    }

    [Fact]
    public async Task RetryAfter_LongerThanTheBackoff_IsHonoured()
    {
        var time = new FakeTimeProvider();
        var policy = new RetryPolicy(Options, time, () => 0.5);
        var tries = 0;
        var call = policy.ExecuteAsync(_ => ++tries == 1 ? throw new ActorMessagingException(ErrorCode.RateLimited, "slow down") { RetryAfter = TimeSpan.FromSeconds(3) } : Task.FromResult(1), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, tries);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await call);
    }

    [Fact]
    public async Task ATryThatOutlastsTheTryTimeout_IsATransientTimeout()
    {
        var time = new FakeTimeProvider();
        var policy = new RetryPolicy(new ActorMessagingRetryOptions { MaxRetries = 0, TryTimeout = TimeSpan.FromSeconds(10) }, time, () => 0.5);
        var call = policy.ExecuteAsync(async token =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<ActorMessagingException>(() => call);
        Assert.Equal(ErrorCode.Timeout, error.Code);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task CancellingTheCaller_StopsRetrying()
    {
        var time = new FakeTimeProvider();
        var policy = new RetryPolicy(Options, time, () => 0.5);
        using var cancellation = new CancellationTokenSource();
        var call = policy.ExecuteAsync<int>(_ => throw new ActorMessagingException(ErrorCode.Unavailable, "down"), cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}

/// <summary>A fake clock that remembers the timers created on it, so a test can move it only once a wait has begun.</summary>
internal sealed class TimerCountingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _dueTimes = new();

    /// <summary>How many timers were created to fire after <paramref name="dueTime"/> (a backoff, not a try timeout).</summary>
    public int TimersDue(TimeSpan dueTime) => _dueTimes.Count(d => d == dueTime);

    /// <summary>The due times of the timers created so far, in creation order.</summary>
    public IReadOnlyList<TimeSpan> DueTimes => [.. _dueTimes];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Counted only once the clock knows the timer. Counted before (as this did until the linger test hung in CI), a
        // test could see the timer, advance the clock, and only then have the timer registered, due after the advance.
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _dueTimes.Enqueue(dueTime);
        return timer;
    }
}
