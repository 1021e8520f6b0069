using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
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
    public async Task EachRetry_IsLoggedWithItsCauseAndWait_AndGivingUpAsAWarning()
    {
        var time = new TimerCountingTimeProvider();
        var log = new ListLogger();
        var options = new ActorMessagingRetryOptions { MaxRetries = 1, Delay = TimeSpan.FromSeconds(1), Jitter = 0 };
        var policy = new RetryPolicy(options, time, () => 0.5, log);
        var call = policy.ExecuteAsync<int>(_ => throw new ActorMessagingException(ErrorCode.Unavailable, "down"), CancellationToken.None, operation: "Publish");

        await Eventually.TrueAsync(() => time.TimersDue(TimeSpan.FromSeconds(1)) == 1, "the backoff");
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ActorMessagingException>(() => call);
        Assert.Equal(
        [
            (LogLevel.Information, "Try 1 of Publish failed after 0 ms: Unavailable: down; retrying in 1000 ms"),
            (LogLevel.Warning, "Publish failed after 2 tries in 1000 ms: Unavailable: down"),
        ], log.Lines);
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
    public async Task Transient_IsRetried_UntilTheRetryBudgetIsSpent_TheLastRetryWhenItEnds()
    {
        var time = new TimerCountingTimeProvider();
        var options = new ActorMessagingRetryOptions { MaxElapsed = TimeSpan.FromSeconds(10), Delay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(4), TryTimeout = TimeSpan.FromSeconds(30) };
        var policy = new RetryPolicy(options, time, () => 0.5);
        var start = time.GetUtcNow();
        var tries = new ConcurrentQueue<TimeSpan>();
        var call = policy.ExecuteAsync<int>(_ =>
        {
            tries.Enqueue(time.GetUtcNow() - start);
            throw new ActorMessagingException(ErrorCode.Unavailable, "down");
        }, CancellationToken.None);

        await time.AdvanceThroughWaitsAsync(() => call.IsCompleted, below: options.TryTimeout, "the retries");

        Assert.Equal(ErrorCode.Unavailable, (await Assert.ThrowsAsync<ActorMessagingException>(() => call)).Code);

        // Backoff 1, 2, 4, 4 s; the last wait is cut to the 3 s left, so the last retry comes when the budget ends.
        Assert.Equal([0, 1, 3, 7, 10], tries.Select(t => t.TotalSeconds));
    }

    [Fact]
    public async Task DefaultOptions_OutlastATenSecondOutage()
    {
        // Regression: the default 3 retries (about 3.5 s of backoff) ended long before a silo failover does.
        var time = new TimerCountingTimeProvider();
        var options = new ActorMessagingRetryOptions();
        var policy = new RetryPolicy(options, time, () => 0.5);
        var start = time.GetUtcNow();
        var call = policy.ExecuteAsync(_ => time.GetUtcNow() - start < TimeSpan.FromSeconds(10)
            ? throw new ActorMessagingException(ErrorCode.Unavailable, "failing over")
            : Task.FromResult(42), CancellationToken.None);

        var waited = await time.AdvanceThroughWaitsAsync(() => call.IsCompleted, below: options.TryTimeout, "the retries");

        Assert.Equal(42, await call);

        // Tries at 0, 0.5, 1.5, 3.5, 7.5 and 12.5 s: back within MaxDelay (5 s) of the outage's end.
        Assert.Equal(TimeSpan.FromSeconds(12.5), waited);
    }

    [Fact]
    public async Task MaxRetries_WhenSet_CapsTheRetriesWithinTheBudget()
    {
        var time = new TimerCountingTimeProvider();
        var options = new ActorMessagingRetryOptions { MaxRetries = 2, MaxElapsed = TimeSpan.FromMinutes(10), Delay = TimeSpan.FromSeconds(1) };
        var policy = new RetryPolicy(options, time, () => 0.5);
        var tries = 0;
        var call = policy.ExecuteAsync<int>(_ =>
        {
            Interlocked.Increment(ref tries);
            throw new ActorMessagingException(ErrorCode.Unavailable, "down");
        }, CancellationToken.None);

        var waited = await time.AdvanceThroughWaitsAsync(() => call.IsCompleted, below: options.TryTimeout, "the retries");

        await Assert.ThrowsAsync<ActorMessagingException>(() => call);
        Assert.Equal(3, tries);
        Assert.Equal(TimeSpan.FromSeconds(3), waited);
    }

    [Fact]
    public async Task ATryThatTookLongerThanTheBackoff_IsRetriedAtOnce_ThePartOfTheBackoffItWaitedIsNotWaitedAgain()
    {
        // Issue 11: after a failover timed out a try, waiting the backoff on top only lengthened the stall.
        var time = new TimerCountingTimeProvider();
        var policy = new RetryPolicy(Options, time, () => 0.5);
        var tries = 0;
        var call = policy.ExecuteAsync<int>(async token =>
        {
            if (++tries == 1)
            {
                // The first try is held 3 s (a gateway waiting on a frozen silo), then fails.
                await Task.Delay(TimeSpan.FromSeconds(3), time, token);
                throw new ActorMessagingException(ErrorCode.Timeout, "no answer in time");
            }

            if (tries == 2)
            {
                // The second fails at once after 0.5 s of its 2 s backoff...
                await Task.Delay(TimeSpan.FromMilliseconds(500), time, token);
                throw new ActorMessagingException(ErrorCode.Unavailable, "moving");
            }

            return tries;
        }, CancellationToken.None);

        await Eventually.TrueAsync(() => time.TimersDue(TimeSpan.FromSeconds(3)) == 1, "the first try to be held");
        time.Advance(TimeSpan.FromSeconds(3));

        // ...so the third starts 1.5 s later, not 2 s.
        await Eventually.TrueAsync(() => tries == 2 && time.TimersDue(TimeSpan.FromMilliseconds(500)) == 1, "the second try, at once");
        time.Advance(TimeSpan.FromMilliseconds(500));
        await Eventually.TrueAsync(() => time.TimersDue(TimeSpan.FromMilliseconds(1500)) == 1, "the rest of the second backoff");
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(3, await call);
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
