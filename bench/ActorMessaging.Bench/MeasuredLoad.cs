using System.Diagnostics;

namespace ActorMessaging.Bench;

/// <summary>
/// Runs <c>workers</c> closed loops for a warm-up and then a measured window, and counts what completed inside
/// the window: a call counts when it finishes while the window is open, so throughput is completed work per
/// second of window and latency is measured per call from issue to completion.
/// </summary>
internal static class MeasuredLoad
{
    /// <summary>One iteration of a worker: does one call and returns the messages (or rows) it made durable.</summary>
    public delegate Task<int> Iteration(long iteration);

    public static async Task<LoadOutcome> RunAsync(
        int workers,
        Func<int, Iteration> createWorker,
        TimeSpan warmup,
        TimeSpan measure,
        Action? onWindowStart,
        Action<TimeSpan>? onWindowEnd,
        CancellationToken cancellationToken)
    {
        var window = new Window();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var states = Enumerable.Range(0, workers).Select(_ => new WorkerState()).ToArray();
        var tasks = states.Select((state, index) => Task.Run(() => WorkerLoopAsync(createWorker(index), state, window, stop.Token), CancellationToken.None)).ToArray();

        try
        {
            await Task.Delay(warmup, cancellationToken);
            onWindowStart?.Invoke();
            var cpuStart = CpuSample.Take();
            var started = Stopwatch.GetTimestamp();
            window.Open = true;
            await Task.Delay(measure, cancellationToken);
            window.Open = false;
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = CpuSample.Take().Since(cpuStart);
            onWindowEnd?.Invoke(elapsed);
            await stop.CancelAsync();
            await Task.WhenAll(tasks);

            var fault = states.Select(s => s.FirstError).FirstOrDefault(e => e is not null);
            var (p50, p99) = LatencyRecorder.Percentiles(states.Select(s => s.Latencies));
            return new LoadOutcome(
                MessagesPerSecond: states.Sum(s => s.Messages) / elapsed.TotalSeconds,
                P50Milliseconds: p50,
                P99Milliseconds: p99,
                Elapsed: elapsed,
                Cpu: cpu,
                Errors: states.Sum(s => s.Errors),
                FirstError: fault);
        }
        finally
        {
            window.Open = false;
            await stop.CancelAsync();
            await Task.WhenAll(tasks);
        }
    }

    private static async Task WorkerLoopAsync(Iteration iteration, WorkerState state, Window window, CancellationToken stop)
    {
        for (long i = 0; !stop.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            int messages;
            try
            {
                messages = await iteration(i);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                if (window.Open)
                {
                    state.Errors++;
                }

                state.FirstError ??= exception;

                // Do not spin on a failing backend.
                await Task.Delay(10, CancellationToken.None);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var ended = Stopwatch.GetTimestamp();
            if (window.Open)
            {
                state.Messages += messages;
                state.Latencies.Record(ended - started);
            }
        }
    }

    private sealed class Window
    {
        private volatile bool _open;

        public bool Open
        {
            get => _open;
            set => _open = value;
        }
    }

    private sealed class WorkerState
    {
        public LatencyRecorder Latencies { get; } = new();

        public long Messages { get; set; }

        public long Errors { get; set; }

        public Exception? FirstError { get; set; }
    }
}
