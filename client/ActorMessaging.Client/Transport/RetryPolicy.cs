using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorMessaging.Client;

/// <summary>
/// Runs a call with <see cref="ActorMessagingRetryOptions"/>: each try under <see cref="ActorMessagingRetryOptions.TryTimeout"/>,
/// transient failures retried after exponential backoff with jitter until the retry budget is spent. The clock and the random source are injected so
/// tests can check the delays exactly.
/// </summary>
internal sealed class RetryPolicy(ActorMessagingRetryOptions options, TimeProvider time, Func<double>? random = null, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    public ActorMessagingRetryOptions Options => options;

    public TimeProvider Time => time;

    /// <summary>The wait before retry (or reconnect attempt) <paramref name="attempt"/>, 1 for the first.</summary>
    public TimeSpan DelayFor(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var baseTicks = options.Delay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(baseTicks, options.MaxDelay.Ticks);
        var factor = 1 + (options.Jitter * ((2 * _random()) - 1));
        return TimeSpan.FromTicks((long)Math.Min(capped * factor, options.MaxDelay.Ticks));
    }

    /// <summary>
    /// Runs <paramref name="call"/> until it succeeds, fails with an error that is not transient, or has spent its retry
    /// budget (<see cref="ActorMessagingRetryOptions.MaxElapsed"/> since the first try began, and
    /// <see cref="ActorMessagingRetryOptions.MaxRetries"/> when set). A try that outlasts the try timeout fails with
    /// <see cref="ErrorCode.Timeout"/>; cancelling <paramref name="cancellationToken"/> stops at once. Each try calls
    /// <paramref name="call"/> again with the same arguments, so a publish resends the same messages (and ids).
    /// </summary>
    /// <param name="call">One try.</param>
    /// <param name="cancellationToken">Stops the call and its retries.</param>
    /// <param name="extraTime">Time a try may take on top of the try timeout (a pull's wait).</param>
    /// <param name="operation">What the call does, for the log.</param>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? extraTime = null, string operation = "A call")
    {
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var tryStarted = time.GetTimestamp();
            try
            {
                return await TryOnceAsync(call, options.TryTimeout + (extraTime ?? TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
            }
            catch (ActorMessagingException exception) when (exception.IsTransient)
            {
                var left = BudgetLeft(attempt, started);
                if (left <= TimeSpan.Zero)
                {
                    var took = time.GetElapsedTime(started);
                    ClientLog.GaveUp(_logger, operation, attempt, (long)took.TotalMilliseconds, exception.Code, exception.Message);
                    throw;
                }

                // The backoff spaces the starts of tries: a try that already waited (it timed out, or the gateway held it
                // while failing over) is retried that much sooner. A server's Retry-After counts from its answer.
                var tryTook = time.GetElapsedTime(tryStarted);
                var delay = DelayFor(attempt) - tryTook;
                if (exception.RetryAfter is { } after && after > delay)
                {
                    delay = after < options.MaxDelay ? after : options.MaxDelay;
                }

                // The last retry starts when the budget ends rather than not at all.
                delay = delay < left ? delay : left;
                if (delay < TimeSpan.Zero)
                {
                    delay = TimeSpan.Zero;
                }

                ClientLog.Retrying(_logger, operation, attempt, (long)tryTook.TotalMilliseconds, exception.Code, exception.Message, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How much of the retry budget is left before retry <paramref name="attempt"/>; zero or less when none.</summary>
    private TimeSpan BudgetLeft(int attempt, long started) =>
        options.MaxRetries is { } max && attempt > max ? TimeSpan.Zero : options.MaxElapsed - time.GetElapsedTime(started);

    private async Task<T> TryOnceAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var tryTimeout = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tryTimeout.Token);
        try
        {
            return await call(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (tryTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ActorMessagingException(ErrorCode.Timeout, $"The call did not complete within {timeout.TotalSeconds:0.###} s.", exception);
        }
    }
}
