namespace ActorMessaging.Grains;

/// <summary>
/// Runs one write at a time; callers that arrive while a write is in flight share the next one. A burst
/// of changes therefore costs two writes, not one per change. Must be used from one grain activation.
/// </summary>
internal sealed class CoalescingWriter(Func<Task> write)
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

    /// <summary>
    /// Saves for a caller that must know the change is durable. On failure memory holds a change storage may
    /// not, so <paramref name="reload"/> (the grain's deactivation) runs and a transient error names <paramref name="entity"/>.
    /// </summary>
    public async Task SaveOrReloadAsync(Action reload, string entity)
    {
        try
        {
            await SaveAsync();
        }
        catch (Exception exception)
        {
            reload();
            throw new ActorMessagingException(ErrorCode.StorageUnavailable, $"{entity} could not be saved; retry.", exception);
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
