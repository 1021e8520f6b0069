namespace ActorMessaging.Grains.Subscriptions;

/// <summary>Pulls waiting for messages: each holds a signal that wakes it to look again.</summary>
internal sealed class PullWaiters
{
    private readonly List<TaskCompletionSource> _waiters = [];

    public int Count => _waiters.Count;

    /// <summary>A signal for one waiting pull; <see cref="Remove"/> it when the pull stops waiting.</summary>
    public TaskCompletionSource Add()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add(signal);
        return signal;
    }

    public void Remove(TaskCompletionSource signal) => _waiters.Remove(signal);

    public void WakeAll()
    {
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult();
        }
    }
}
