namespace ActorMessaging.Grains;

/// <summary>
/// Runs one write at a time; callers that arrive while a write is in flight share the next one. A burst
/// of changes therefore costs two writes, not one per change. Must be used from one grain activation.
/// </summary>
/// <remarks>
/// A failed write calls <c>failed</c> (the grain ends its activation), whoever asked for the write: after a failure
/// memory holds changes storage may lack, and the ETag may be stale (the write may have landed, or another activation
/// of the grain wrote first), so every later write of this activation would fail too. Only a fresh activation, which
/// reads what storage really holds, can go on.
/// </remarks>
internal sealed class CoalescingWriter(Func<Task> write, Action<Exception> failed)
{
    private TaskCompletionSource? _next;
    private bool _running;

    /// <summary>Completes when a write that started after this call has finished.</summary>
    public Task SaveAsync()
    {
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _next.Task;
        if (!_running)
        {
            _ = RunAsync();
        }

        return task;
    }

    /// <summary>Saves for a caller that must know the change is durable; a failure is a transient error naming <paramref name="entity"/>.</summary>
    public async Task SaveDurablyAsync(string entity)
    {
        try
        {
            await SaveAsync();
        }
        catch (Exception exception) when (exception is not BrokerException)
        {
            throw new BrokerException(ErrorCode.StorageUnavailable, $"{entity} could not be saved; retry.", exception);
        }
    }

    public bool IsIdle => !_running && _next is null;

    private async Task RunAsync()
    {
        _running = true;
        try
        {
            while (_next is { } current)
            {
                _next = null;
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    await write();
                    StorageTelemetry.StateWritten(started);
                    current.SetResult();
                }
                catch (Exception exception)
                {
                    failed(exception);
                    current.SetException(exception);
                }
            }
        }
        finally
        {
            _running = false;
        }
    }
}
