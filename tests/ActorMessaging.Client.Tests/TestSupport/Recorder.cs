using System.Collections.Concurrent;

namespace ActorMessaging.Client.Tests;

/// <summary>What a processor's handlers saw, for assertions.</summary>
internal sealed class Recorder
{
    public ConcurrentQueue<ActorMessagingReceivedMessage> Messages { get; } = new();

    public ConcurrentQueue<ProcessErrorEventArgs> Errors { get; } = new();

    public IEnumerable<long> Sequences => Messages.Select(m => m.Sequence);

    public Task OnErrorAsync(ProcessErrorEventArgs args)
    {
        Errors.Enqueue(args);
        return Task.CompletedTask;
    }

    public string Describe() =>
        $"{Messages.Count} messages ({string.Join(", ", Messages.Take(50))}); errors: {string.Join(" | ", Errors.Take(10).Select(e => $"{e.ErrorSource}: {e.Exception.Message}"))}";
}
